/**
 * A test implementation of the node's NationalLink port (services/node/src/logic/national-link.ts): deterministic,
 * keyed HMAC-SHA256 pseudonyms of "<kind>:<value>" and a verwijsindexservicenummer derived from the pseudonym, so the
 * same facts always give the same number. Not the real chain (the bridge and the national index): the lead runs that
 * after the merge. `down` makes every call throw NationalLinkUnavailable; `calls` counts what was asked.
 */
import { createHmac, randomBytes } from "node:crypto";
import { type NationalLink, NationalLinkUnavailable, type NationalPseudonymItem } from "@vi/node";

export interface TestNationalLink extends NationalLink {
  down: boolean;
  calls: { pseudonyms: NationalPseudonymItem[][]; vsn: string[] };
}

export function hmacNationalLink(key: Buffer = randomBytes(32)): TestNationalLink {
  const link: TestNationalLink = {
    down: false,
    calls: { pseudonyms: [], vsn: [] },
    async pseudonyms(items) {
      if (link.down) throw new NationalLinkUnavailable("test: national link down");
      link.calls.pseudonyms.push([...items]);
      return { pseudonyms: items.map((i) => createHmac("sha256", key).update(`${i.kind}:${i.value}`).digest("base64url")), sleutelversie: 1 };
    },
    async vsn(feitenPseudoniem) {
      if (link.down) throw new NationalLinkUnavailable("test: national link down");
      link.calls.vsn.push(feitenPseudoniem);
      const n = createHmac("sha256", key).update(`vsn:${feitenPseudoniem}`).digest().readUInt32BE(0) % 1_000_000_000;
      return String(n).padStart(9, "0");
    },
  };
  return link;
}
