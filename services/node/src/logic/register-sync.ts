/**
 * Keeps the node's copy of the region's register current (docs/adr/0015): the hub's signed whole register,
 * fetched at start, after a missed change and periodically, and every signed change (`register.bijgewerkt`) as
 * it comes. The node's own part (its connected organisations and their professionals) is also stored, for the
 * rows that point at them; authorisation is always decided from the copy in memory.
 */
import type { EventData, RegisterPersoon } from "@vi/events";
import type { NodeContext, RegisterContent } from "../context";
import { fetchSignedRegister } from "../outbound/register";
import { loadRegistry, registryFor } from "../store/registry";

const asContent = (r: EventData<"register.volledig">): RegisterContent => ({
  organisaties: r.organisaties,
  professionals: r.professionals.map(asProfessional),
  instellingsadressen: r.instellingsadressen.map((a) => ({ adresId: a.adresId, ...(a.omschrijving ? { omschrijving: a.omschrijving } : {}) })),
});

const asProfessional = (p: RegisterPersoon) => ({ ...p });

async function storeOwnPart(ctx: NodeContext, content: RegisterContent): Promise<void> {
  await loadRegistry(ctx.db, ctx.t, registryFor(content, ctx.gemeente.code));
}

/**
 * Fetches the hub's whole register and holds it, when it is newer than the one held. A hub whose register is
 * still empty (version 0) does not replace the bootstrap file. Returns the version held afterwards.
 */
export async function refreshRegister(ctx: NodeContext, hubUrl: string): Promise<number> {
  const source = ctx.registerSource;
  if (!source) return 0;
  const signed = await fetchSignedRegister(ctx, hubUrl);
  if (signed.versie === 0 || signed.versie <= source.versie()) return source.versie();
  const content = asContent(signed);
  source.replace(content, signed.versie);
  ctx.log.info({ versie: signed.versie }, "register from the hub held");
  await storeOwnPart(ctx, content);
  return signed.versie;
}

/** Applies one signed change; after a missed one, the whole register is fetched again. */
export async function applyRegisterChange(ctx: NodeContext, hubUrl: string, change: EventData<"register.bijgewerkt">): Promise<void> {
  const source = ctx.registerSource;
  if (!source) return;
  const outcome = source.apply({ versie: change.versie, organisaties: change.organisaties, professionals: change.professionals.map(asProfessional) });
  if (outcome === "gat") {
    ctx.log.info({ held: source.versie(), versie: change.versie }, "a register change was missed; fetching the whole register");
    await refreshRegister(ctx, hubUrl);
    return;
  }
  if (outcome === "toegepast") {
    ctx.log.info({ versie: change.versie }, "register change applied");
    await storeOwnPart(ctx, {
      organisaties: change.organisaties,
      professionals: change.professionals.map(asProfessional),
      instellingsadressen: [],
    });
  }
}
