import { describe, it, expect } from "vitest";
import { inzageEligibility, type InzageAudience } from "../src/index";

function request(overrides: Partial<Parameters<typeof inzageEligibility>[0]> = {}) {
  return {
    age: 10,
    secretAddress: false,
    livesInRegion: true,
    audience: "ouders" as InzageAudience,
    medicalProfessionalOnCard: false,
    youthConsent: false,
    ...overrides,
  };
}

function codeOf(input: Parameters<typeof inzageEligibility>[0]) {
  const result = inzageEligibility(input);
  return result.ok ? "ok" : result.error.code;
}

describe("inzageEligibility", () => {
  it("gives parents of a young child inzage", () => {
    expect(inzageEligibility(request())).toEqual({ ok: true, value: { audience: "ouders" } });
  });

  it("refuses a youth with a secret address (Sem), whatever else holds", () => {
    expect(codeOf(request({ age: 17, secretAddress: true, audience: "jeugdige", youthConsent: true }))).toBe("INZAGE_GEHEIM_ADRES");
    expect(codeOf(request({ secretAddress: true, livesInRegion: false }))).toBe("INZAGE_GEHEIM_ADRES");
  });

  it("refuses a youth living outside the participating gemeenten (Mila)", () => {
    expect(codeOf(request({ age: 8, livesInRegion: false }))).toBe("INZAGE_BUITEN_REGIO");
  });

  it("refuses the youth's own inzage under 12 and allows it from 12", () => {
    const young = inzageEligibility(request({ age: 11, audience: "jeugdige" }));
    expect(young.ok).toBe(false);
    if (!young.ok) {
      expect(young.error.code).toBe("INZAGE_JEUGDIGE_TE_JONG");
      expect(young.error.detail).toMatch(/12 jaar/);
    }
    expect(codeOf(request({ age: 12, audience: "jeugdige" }))).toBe("ok");
    expect(codeOf(request({ age: 16, audience: "jeugdige" }))).toBe("ok");
  });

  it("needs the consent of a youth of 12 to 15 with a medical professional on the card before parents get inzage (Lotte)", () => {
    const result = inzageEligibility(request({ age: 15, medicalProfessionalOnCard: true }));
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe("INZAGE_TOESTEMMING_JEUGDIGE_NODIG");
      expect(result.error.field).toBe("toestemmingJeugdige");
    }
    expect(codeOf(request({ age: 12, medicalProfessionalOnCard: true }))).toBe("INZAGE_TOESTEMMING_JEUGDIGE_NODIG");
    expect(codeOf(request({ age: 15, medicalProfessionalOnCard: true, youthConsent: true }))).toBe("ok");
  });

  it("gives parents of a youth of 12 to 15 without a medical professional inzage without consent", () => {
    expect(codeOf(request({ age: 14 }))).toBe("ok");
  });

  it("does not ask the consent of a child under 12, even with a medical professional on the card", () => {
    expect(codeOf(request({ age: 11, medicalProfessionalOnCard: true }))).toBe("ok");
  });

  it("needs the consent of a youth of 16 or over before parents get inzage", () => {
    expect(codeOf(request({ age: 16 }))).toBe("INZAGE_TOESTEMMING_JEUGDIGE_NODIG");
    expect(codeOf(request({ age: 22, medicalProfessionalOnCard: true }))).toBe("INZAGE_TOESTEMMING_JEUGDIGE_NODIG");
    expect(codeOf(request({ age: 16, youthConsent: true }))).toBe("ok");
  });

  it("gives every refusal a Dutch detail", () => {
    const refusals = [request({ secretAddress: true }), request({ livesInRegion: false }), request({ age: 5, audience: "jeugdige" }), request({ age: 17 })].map(
      (r) => inzageEligibility(r),
    );
    for (const r of refusals) {
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error.detail).toMatch(/inzage/i);
    }
  });
});
