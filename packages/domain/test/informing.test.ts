import { describe, it, expect } from "vitest";
import { closedReason, coversInformTarget, isNotInformedReason, NOT_INFORMED_REASONS, planInforming, whoMustBeInformed } from "../src/index";

describe("whoMustBeInformed", () => {
  it("is the parents under 12", () => {
    expect(whoMustBeInformed(0)).toBe("ouders");
    expect(whoMustBeInformed(11)).toBe("ouders");
  });

  it("is the parents and the youth from 12 to 15", () => {
    expect(whoMustBeInformed(12)).toBe("ouders-en-jeugdige");
    expect(whoMustBeInformed(15)).toBe("ouders-en-jeugdige");
  });

  it("is the youth alone from 16", () => {
    expect(whoMustBeInformed(16)).toBe("jeugdige");
    expect(whoMustBeInformed(22)).toBe("jeugdige");
  });

  it("refuses an age that is not a whole number of years", () => {
    expect(() => whoMustBeInformed(-1)).toThrow(RangeError);
    expect(() => whoMustBeInformed(11.5)).toThrow(RangeError);
    expect(() => whoMustBeInformed(Number.NaN)).toThrow(RangeError);
  });
});

describe("the reasons for not informing", () => {
  it("are a closed list of four", () => {
    expect(NOT_INFORMED_REASONS).toEqual(["nog-niet-bereikt", "onveilig-voor-jeugdige", "onveilig-voor-ander", "andere-reden-in-eigen-dossier"]);
    expect(isNotInformedReason("nog-niet-bereikt")).toBe(true);
    expect(isNotInformedReason("Vader drinkt")).toBe(false);
    expect(isNotInformedReason(undefined)).toBe(false);
  });
  it("a value outside the list (free text from before it) becomes andere-reden-in-eigen-dossier, so its text is not kept", () => {
    expect(closedReason("Vader drinkt")).toBe("andere-reden-in-eigen-dossier");
    expect(closedReason("onveilig-voor-ander")).toBe("onveilig-voor-ander");
    expect(closedReason(null)).toBeNull();
  });
});

describe("whom the professional informed, against the age rules", () => {
  it("under 12 the parents must be among them; 12 to 15 both; 16 and over the youth", () => {
    expect(coversInformTarget("ouders", "ouders")).toBe(true);
    expect(coversInformTarget("ouders", "ouders-en-jeugdige")).toBe(true);
    expect(coversInformTarget("ouders", "jeugdige")).toBe(false);
    expect(coversInformTarget("ouders-en-jeugdige", "ouders")).toBe(false);
    expect(coversInformTarget("ouders-en-jeugdige", "jeugdige")).toBe(false);
    expect(coversInformTarget("ouders-en-jeugdige", "ouders-en-jeugdige")).toBe(true);
    expect(coversInformTarget("jeugdige", "jeugdige")).toBe(true);
    expect(coversInformTarget("jeugdige", "ouders")).toBe(false);
  });
  it("planInforming defaults to whom the rules require, today, and names the refused field", () => {
    expect(planInforming({ today: "2026-11-28", age: 14 })).toEqual({ ok: true, value: { wie: "ouders-en-jeugdige", op: "2026-11-28" } });
    const r = planInforming({ today: "2026-11-28", age: 17, wie: "ouders", fields: { wie: "wie", op: "op" } });
    expect(r.ok ? "ok" : [r.error.code, r.error.field]).toEqual(["GEINFORMEERD_ONVOLLEDIG", "wie"]);
    const future = planInforming({ today: "2026-11-28", age: 5, op: "2026-11-29" });
    expect(future.ok ? "ok" : future.error.code).toBe("GEINFORMEERD_OP_IN_TOEKOMST");
  });
});
