/**
 * The node's start page (`GET /`): where the links in its e-mails lead until
 * the web application exists. Dutch, static, no login, no personal data, no
 * scripts or styles (the service's Content-Security-Policy allows none).
 */
const escapeHtml = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

export function startPage(gemeenteNaam: string): string {
  const naam = escapeHtml(gemeenteNaam);
  return `<!doctype html>
<html lang="nl">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Verwijsindex ${naam}</title>
</head>
<body>
<h1>Verwijsindex ${naam}</h1>
<p>U kreeg een e-mail over een nieuwe match of een verhuizing. Om de privacy van de jeugdige te beschermen staat in die e-mail niet om wie het gaat.</p>
<p>De webapplicatie voor professionals volgt nog. Tot die er is, ziet u uw meldingen en matches in het systeem van uw organisatie, dat de verwijsindex gebruikt via de API:</p>
<ul>
<li><code>GET /api/v1/meldingen</code>: uw meldingen (matches en verhuizingen);</li>
<li><code>GET /api/v1/matches</code>: uw matches, met de contactgegevens van de andere professional;</li>
<li><a href="/api/v1/openapi.json">/api/v1/openapi.json</a>: de beschrijving van de API.</li>
</ul>
<p>Weet u niet hoe u dit in uw eigen systeem vindt, neem dan contact op met de functioneel beheerder van uw organisatie.</p>
</body>
</html>
`;
}
