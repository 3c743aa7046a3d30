/** Problem Details (RFC 7807) in the shape the Haal Centraal APIs use: type, title, status, detail, instance, code, invalidParams. */
import type { Context } from "hono";

export interface InvalidParam {
  type?: string;
  name: string;
  code: string;
  reason: string;
}

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance: string;
  code: string;
  invalidParams?: InvalidParam[];
}

export const PROBLEM_TYPES = {
  400: "https://datatracker.ietf.org/doc/html/rfc7231#section-6.5.1",
  401: "https://datatracker.ietf.org/doc/html/rfc7235#section-3.1",
  404: "https://datatracker.ietf.org/doc/html/rfc7231#section-6.5.4",
  409: "https://datatracker.ietf.org/doc/html/rfc7231#section-6.5.8",
  500: "https://datatracker.ietf.org/doc/html/rfc7231#section-6.6.1",
} as const;

export function problem(c: Context, p: Omit<Problem, "instance" | "type"> & { type?: string }): Response {
  const body: Problem = {
    type: p.type ?? PROBLEM_TYPES[p.status as keyof typeof PROBLEM_TYPES] ?? PROBLEM_TYPES[500],
    title: p.title,
    status: p.status,
    ...(p.detail !== undefined ? { detail: p.detail } : {}),
    // An absolute URI, as the spec's Foutbericht says (format uri) and its example shows.
    instance: c.req.url,
    code: p.code,
    ...(p.invalidParams ? { invalidParams: p.invalidParams } : {}),
  };
  return new Response(JSON.stringify(body), {
    status: p.status,
    headers: { "content-type": "application/problem+json; charset=utf-8" },
  });
}
