/**
 * The region's register as the web reads it (REGISTER_BESTAND, the same file
 * the nodes read): who a signed-in subject is, their organisation, and the
 * gemeenten it is connected to, so the web calls a node the professional is
 * authorised at. Authorisation itself stays with the node.
 */
import { readFileSync } from "node:fs";
import { z } from "zod";

const RegisterFile = z.object({
  organisaties: z.array(z.object({ id: z.string(), naam: z.string(), domein: z.string(), aangeslotenBij: z.array(z.string()) })),
  professionals: z.array(
    z.object({
      sub: z.string(),
      email: z.string(),
      naam: z.string(),
      functie: z.string(),
      organisatieId: z.string(),
      rol: z.string(),
      signaleringsbevoegd: z.boolean(),
      medisch: z.boolean().default(false),
    }),
  ),
});

export interface Professional {
  sub: string;
  email: string;
  naam: string;
  functie: string;
  rol: string;
  signaleringsbevoegd: boolean;
  organisatie: { id: string; naam: string; domein: string; aangeslotenBij: string[] };
}

export interface Register {
  bySubject(sub: string): Professional | undefined;
}

/** The register in `paths`: one file, or several regions' files separated by commas (a web application serving several regions). */
export function registerFromFile(paths: string): Register {
  const registers = paths
    .split(",")
    .map((p) => p.trim())
    .filter(Boolean)
    .map((path) => {
      let raw: unknown;
      try {
        raw = JSON.parse(readFileSync(path, "utf8"));
      } catch (e) {
        throw new Error(`REGISTER_BESTAND ${path} cannot be read as JSON: ${(e as Error).message}`);
      }
      return registerOf(raw);
    });
  return { bySubject: (sub) => registers.map((r) => r.bySubject(sub)).find((p) => p !== undefined) };
}

export function registerOf(raw: unknown): Register {
  const parsed = RegisterFile.safeParse(raw);
  if (!parsed.success) throw new Error(`not a register: ${parsed.error.issues.map((i) => i.path.join(".")).join(", ")}`);
  const orgs = new Map(parsed.data.organisaties.map((o) => [o.id, o]));
  const bySub = new Map<string, Professional>();
  for (const p of parsed.data.professionals) {
    const organisatie = orgs.get(p.organisatieId);
    if (!organisatie) continue;
    bySub.set(p.sub, { sub: p.sub, email: p.email, naam: p.naam, functie: p.functie, rol: p.rol, signaleringsbevoegd: p.signaleringsbevoegd, organisatie });
  }
  return { bySubject: (sub) => bySub.get(sub) };
}
