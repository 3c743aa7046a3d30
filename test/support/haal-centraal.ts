/**
 * The official Haal Centraal BRP Personen bevragen API, version 2.7.0 (`../shared/standards/haal-centraal-brp`,
 * read at test time, never copied), as JSON Schema validators (ajv, the 2020-12 dialect OpenAPI 3.1 uses).
 *
 * The document expresses polymorphism the OpenAPI way, with a `discriminator` whose `mapping` names the subtypes
 * (each an `allOf` of the base and its own properties) and no `oneOf`. A JSON Schema validator ignores a
 * discriminator, so a verblijfplaats would be checked only against the base; here each such base is rewritten
 * so that its `type` must be one of the mapping's values and the subtype of that value applies:
 * `Base = allOf [Base__basis, type ∈ mapping, anyOf [(type = k and $ref mapping[k]) …]]`, with the subtypes' `allOf`
 * pointing at `Base__basis` (the base without the discriminator), so there is no loop.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import Ajv2020, { type ErrorObject, type ValidateFunction } from "ajv/dist/2020";
import addFormats from "ajv-formats";
import { standardsDir } from "../../scripts/standards-dir";

export const HAAL_CENTRAAL_SPEC = join(standardsDir(), "haal-centraal-brp/openapi-2.7.0.json");

type Json = Record<string, any>;
const ID = "https://haal-centraal.test/brp/openapi-2.7.0.json";
const REF = "#/components/schemas/";

function withDiscriminators(spec: Json): Json {
  const schemas: Record<string, Json> = structuredClone(spec.components.schemas);
  const bases = Object.entries(schemas).filter(([, s]) => s.discriminator?.mapping && !s.oneOf && !s.anyOf);
  for (const [name, base] of bases) {
    const mapping: Record<string, string> = base.discriminator.mapping;
    const { discriminator, ...plain } = base;
    const prop: string = discriminator.propertyName;
    schemas[`${name}__basis`] = plain;
    for (const target of Object.values(mapping)) {
      const sub = schemas[target.slice(REF.length)]!;
      for (const part of sub.allOf ?? []) if (part.$ref === `${REF}${name}`) part.$ref = `${REF}${name}__basis`;
    }
    schemas[name] = {
      allOf: [
        { $ref: `${REF}${name}__basis` },
        { properties: { [prop]: { enum: Object.keys(mapping) } }, required: [prop] },
        { anyOf: Object.entries(mapping).map(([value, target]) => ({ properties: { [prop]: { const: value } }, $ref: target })) },
      ],
    };
  }
  return { ...spec.components, schemas };
}

export interface HaalCentraal {
  /** A validator of `components.schemas[name]`. */
  schema(name: string): ValidateFunction;
  /** The validator of what the spec says POST /personen answers with this status (`default` when it names none). */
  response(status: number): ValidateFunction;
}

export function loadHaalCentraal(): HaalCentraal {
  const spec = JSON.parse(readFileSync(HAAL_CENTRAAL_SPEC, "utf8")) as Json;
  const ajv = new Ajv2020({ strict: false, unicodeRegExp: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema({ $id: ID, components: withDiscriminators(spec) });
  const responses: Record<string, Json> = spec.paths["/personen"].post.responses;
  const cache = new Map<string, ValidateFunction>();
  const compile = (ref: string) => {
    let v = cache.get(ref);
    if (!v) cache.set(ref, (v = ajv.compile({ $ref: `${ID}${ref}` })));
    return v;
  };
  return {
    schema: (name) => compile(`${REF}${name}`),
    response(status) {
      let r: Json = responses[String(status)] ?? responses.default!;
      if (r.$ref) r = spec.components.responses[r.$ref.split("/").pop()];
      const media = Object.values<Json>(r.content)[0]!;
      return compile(media.schema.$ref);
    },
  };
}

/** The errors of the last validation, readable in a test failure. */
export function errorsOf(v: ValidateFunction): string[] {
  return (v.errors ?? []).map((e: ErrorObject) => `${e.instancePath || "(root)"} ${e.message} ${JSON.stringify(e.params)}`);
}
