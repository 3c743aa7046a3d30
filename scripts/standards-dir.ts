/**
 * Where the official standards' files are (the API Design Rules ruleset, Haal Centraal BRP 2.7.0, the
 * publiccode schema): STANDARDS_DIR, else the `shared/standards` folder CI puts beside the repository.
 * They are read where they are, never copied into the repository.
 */
import { resolve } from "node:path";

export function standardsDir(): string {
  return resolve(import.meta.dirname, "..", process.env.STANDARDS_DIR ?? "../shared/standards");
}
