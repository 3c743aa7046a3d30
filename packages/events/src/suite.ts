/** The bus's one signature and encryption suite: the algorithms every token names (docs/federation.md). */
export const EVENT_ALG = "EdDSA" as const;
export const EVENT_TYP = "vi-event+jwt";
/** JWE key agreement: ECDH-ES (direct) on X25519, one ephemeral key per message; content A256GCM. */
export const ENC_ALG = "ECDH-ES" as const;
export const ENC_ENC = "A256GCM" as const;
