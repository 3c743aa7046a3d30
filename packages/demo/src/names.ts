/** Name and street lists for synthetic persons (a mix that resembles the region's population). */

export const VOORNAMEN_M = [
  "Noah", "Sem", "Liam", "Lucas", "Daan", "Finn", "Levi", "Luuk", "Mees", "James", "Milan", "Jesse", "Bram", "Thomas",
  "Mohamed", "Adam", "Yusuf", "Ayoub", "Omar", "Ibrahim", "Kevin", "Jayden", "Mateo", "Thijs", "Ruben", "Stijn", "Lars",
  "Julian", "Sven", "Hugo", "Teun", "Jens", "Gijs", "Max", "Sam", "Tim", "Bilal", "Emre", "Deniz", "Rayan", "Dylan",
  "Jan", "Pieter", "Willem", "Kees", "Mark", "Peter", "Hans", "Erik", "Dennis", "Ahmed", "Mustafa", "Hakan", "Sanjay",
];
export const VOORNAMEN_V = [
  "Emma", "Julia", "Mila", "Tess", "Sophie", "Zoë", "Sara", "Nora", "Yara", "Eva", "Liv", "Lotte", "Noor", "Saar",
  "Fenna", "Anna", "Lauren", "Fleur", "Isa", "Lisa", "Fatima", "Aya", "Amira", "Salma", "Hiba", "Ilse", "Femke",
  "Roos", "Sanne", "Anouk", "Lieke", "Esmee", "Naomi", "Priya", "Chantal", "Merel", "Elif", "Zeynep", "Jasmijn",
  "Maria", "Anja", "Petra", "Ingrid", "Marieke", "Monique", "Esther", "Samira", "Nadia", "Khadija", "Joyce", "Demi",
];

/** [voorvoegsel, geslachtsnaam] */
export const ACHTERNAMEN: Array<[string | undefined, string]> = [
  [undefined, "Jansen"], ["de", "Jong"], ["de", "Vries"], ["van den", "Berg"], ["van", "Dijk"], [undefined, "Bakker"],
  [undefined, "Janssen"], [undefined, "Visser"], [undefined, "Smit"], [undefined, "Meijer"], ["de", "Boer"],
  [undefined, "Mulder"], ["de", "Groot"], [undefined, "Bos"], [undefined, "Vos"], [undefined, "Peters"],
  [undefined, "Hendriks"], ["van", "Leeuwen"], [undefined, "Dekker"], [undefined, "Brouwer"], ["de", "Wit"],
  [undefined, "Dijkstra"], [undefined, "Smits"], ["de", "Graaf"], ["van der", "Meer"], ["van der", "Linden"],
  [undefined, "Kok"], [undefined, "Jacobs"], ["de", "Haan"], [undefined, "Vermeulen"], ["van den", "Heuvel"],
  ["van der", "Veen"], ["van den", "Broek"], ["de", "Bruijn"], [undefined, "Koster"], [undefined, "Schouten"],
  [undefined, "El Amrani"], [undefined, "Bouzid"], [undefined, "Yilmaz"], [undefined, "Kaya"], [undefined, "Demir"],
  [undefined, "Öztürk"], [undefined, "Ramdin"], [undefined, "Tjon"], [undefined, "Biharie"], [undefined, "Mohan"],
  [undefined, "El Idrissi"], [undefined, "Benali"], [undefined, "Boateng"], [undefined, "Mensah"], [undefined, "Kowalski"],
  [undefined, "Nowak"], [undefined, "Nguyen"], [undefined, "Pinas"], [undefined, "Sedney"], ["van", "Rijn"],
];

export const STRATEN = [
  "Kerkstraat", "Dorpsstraat", "Molenweg", "Schoolstraat", "Julianastraat", "Beatrixlaan", "Wilhelminastraat",
  "Oranjestraat", "Nieuwstraat", "Prins Hendrikkade", "Lindenlaan", "Eikenlaan", "Berkenlaan", "Kastanjelaan",
  "Populierenweg", "Vondelstraat", "Rembrandtplein", "Van Goghstraat", "Mauritsstraat", "Parkweg", "Stationsweg",
  "Havenstraat", "Dijkweg", "Zuiderzeestraat", "Tulpstraat", "Rozenstraat", "Lelieweg", "Meeuwenlaan", "Zwanenlaan",
  "Reigerstraat", "Spaarnestraat", "Amstelstraat", "Zaanweg", "Veldweg", "Weidestraat", "Polderweg", "Slotlaan",
  "Burgemeester de Vlugtlaan", "Kinkerstraat", "Marnixstraat", "Bilderdijkstraat", "Javastraat", "Insulindeweg",
];

export const INSTELLING_STRATEN = ["Zorgpad", "Hoeveweg", "Jeugdzorglaan", "Buitenhof", "De Kolk", "Het Anker", "Lindehof"];
