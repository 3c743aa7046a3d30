/**
 * Who may do what on the federation's bus (docs/federation.md, "Bus users"):
 * one user per service, built from the subjects of ./subjects.ts. The NATS
 * server configuration and the provisioning step are generated from this
 * (`npm run nats:config`, `npm run nats:provision`; infra/nats).
 */
import type { BusPrincipal } from "@vi/bus";
import { BRUG, consumers, HUB, PSEUDONIEM, subjects } from "./subjects";

/** The user of provisioning and operators: every subject and the JetStream admin API. */
export const BEHEER = "beheer";

/** A municipal node: publishes its own index events, audit chain heads and notices sent in its name, reads only what is addressed to it. */
export function nodePrincipal(code: string, gemeenten: readonly string[]): BusPrincipal {
  return {
    name: code,
    publishes: [subjects.index(code), subjects.auditketen(code), subjects.melding("*", code), subjects.extern("*", code)],
    consumes: [consumers.nodeMelding(code), consumers.nodeRegister(code)],
    serves: [subjects.rpc(code)],
    requests: [...gemeenten.map((g) => subjects.rpc(g)), subjects.pseudoniem, subjects.rpc(BRUG)],
  };
}

/** The regional hub: notices in its own name and the register; reads the index and the nodes' audit chain heads; asks the nodes (rebuild) and the pseudonym service. */
export function hubPrincipal(gemeenten: readonly string[]): BusPrincipal {
  return {
    name: HUB,
    publishes: [subjects.melding("*", HUB), subjects.allRegister, subjects.brugIndex],
    consumes: [consumers.hubIndex, consumers.hubAuditketen],
    requests: [...gemeenten.map((g) => subjects.rpc(g)), subjects.pseudoniem],
  };
}

/** The pseudonym service: answers `rpc.pseudoniem`, nothing else. */
export function pseudoniemPrincipal(): BusPrincipal {
  return { name: PSEUDONIEM, serves: [subjects.pseudoniem] };
}

/**
 * The region's bridge to the national index (docs/national-chain.md): reads the hub's `brug.index`, publishes
 * match notices in its own name to the nodes, serves `rpc.brug` (national pseudonyms, verwijsindexservicenummers,
 * requests to other regions), reads the nodes' notices to other regions and asks the region's nodes for other regions.
 */
export function brugPrincipal(gemeenten: readonly string[]): BusPrincipal {
  return {
    name: BRUG,
    publishes: [subjects.melding("*", BRUG)],
    consumes: [consumers.brugIndex, consumers.brugExtern],
    serves: [subjects.rpc(BRUG)],
    // Requests of another region's nodes, carried through the national index (docs/adr/0042).
    requests: gemeenten.map((g) => subjects.rpc(g)),
  };
}

/** Every user of a region with these gemeenten: the hub, each node, the pseudonym service, the bridge and `beheer`. */
export function federationPrincipals(gemeenten: readonly string[]): BusPrincipal[] {
  return [
    { name: BEHEER, admin: true },
    hubPrincipal(gemeenten),
    pseudoniemPrincipal(),
    brugPrincipal(gemeenten),
    ...gemeenten.map((g) => nodePrincipal(g, gemeenten)),
  ];
}

/** The durable consumers the provisioning step creates for a region. */
export function federationConsumers(gemeenten: readonly string[]) {
  return [
    consumers.hubIndex,
    consumers.hubAuditketen,
    consumers.brugIndex,
    consumers.brugExtern,
    ...gemeenten.flatMap((g) => [consumers.nodeMelding(g), consumers.nodeRegister(g)]),
  ];
}
