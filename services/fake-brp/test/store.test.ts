import { describe, expect, it } from "vitest";
import { createFakeBrpApp, StoreError } from "@vi/fake-brp";

const TODAY = "2026-03-15";
const ADRES = { straat: "Kerkstraat", huisnummer: 4, postcode: "1017GC", woonplaats: "Amsterdam", adresseerbaarObjectId: "0363018000000001" };

describe("fake BRP store", () => {
  it("serves fixtures first, then the population, and the overlay on top", () => {
    const { store } = createFakeBrpApp({ today: TODAY, population: { seed: 1, youths: 100, today: TODAY } });
    expect(store.get("999900018")?.voornamen).toBe("Adam");
    expect(store.get("999900183")).toBeUndefined();
    const bulk = "900000004";
    expect(store.get(bulk)?.bsn).toBe(bulk);
    store.relocate(bulk, { gemeenteCode: "GM0385", adres: { ...ADRES, woonplaats: "Volendam", adresseerbaarObjectId: "0385018000000001" } });
    expect(store.get(bulk)?.gemeenteCode).toBe("GM0385");
  });

  it("numbers mutations 1, 2, 3 and returns those after a sequence number", () => {
    const { store } = createFakeBrpApp({ today: TODAY });
    const a = store.relocate("999900018", { gemeenteCode: "GM0384", adres: ADRES });
    store.markDeceased("999900055", "2026-03-01");
    const c = store.relocate("999900079", { gemeenteCode: "GM0392", adres: ADRES });
    expect([a.seq, c.seq]).toEqual([1, 3]);
    expect(store.mutationsSince(0).map((e) => `${e.seq}:${e.soort}`)).toEqual(["1:verhuizing", "2:overlijden", "3:verhuizing"]);
    expect(store.mutationsSince(2).map((e) => e.seq)).toEqual([3]);
    expect(store.mutationsSince(3)).toEqual([]);
    expect(store.get("999900055")?.overlijdensdatum).toBe("2026-03-01");
  });

  it("refuses unknown persons, unknown gemeenten, moving the dead and a death before birth", () => {
    const { store } = createFakeBrpApp({ today: TODAY });
    expect(() => store.relocate("999900183", { gemeenteCode: "GM0363", adres: ADRES })).toThrow(StoreError);
    expect(() => store.relocate("999900018", { gemeenteCode: "GM9999", adres: ADRES })).toThrow(/gemeentecode/);
    expect(() => store.relocate("999900171", { gemeenteCode: "GM0363", adres: ADRES })).toThrow(/overleden/);
    expect(() => store.markDeceased("999900018", "1990-01-01")).toThrow(/geboortedatum/);
    expect(store.mutationsSince(0)).toEqual([]);
  });

  it("tells listeners until they unsubscribe, and hands out copies only", () => {
    const { store } = createFakeBrpApp({ today: TODAY });
    const heard: number[] = [];
    const off = store.onMutation((e) => heard.push(e.seq));
    store.relocate("999900018", { gemeenteCode: "GM0384", adres: ADRES });
    off();
    store.relocate("999900018", { gemeenteCode: "GM0363", adres: ADRES });
    expect(heard).toEqual([1]);
    const copy = store.get("999900079")!;
    copy.gemeenteCode = "GM0000";
    copy.adres.straat = "Elders";
    expect(store.get("999900079")).toMatchObject({ gemeenteCode: "GM0363", adres: { straat: "Haarlemmerweg" } });
  });
});
