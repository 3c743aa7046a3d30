/**
 * Runs the region's municipal nodes and the hub as child processes for the
 * benchmark (so each service's peak RSS can be read), against the machine's
 * PostgreSQL and NATS.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";

const root = resolve(import.meta.dirname, "..");

export interface Service {
  name: string;
  url: string;
  child: ChildProcess;
  stderr: string[];
}

const children = new Set<ChildProcess>();
// Never leave a service running when the benchmark dies.
process.once("exit", () => {
  for (const c of children) if (c.exitCode === null) c.kill("SIGKILL");
});

export function spawnService(name: string, entry: string, env: Record<string, string>, port: number): Service {
  const prof = process.env.BENCH_CPU_PROF === name ? ["--cpu-prof", "--cpu-prof-dir=/tmp/vi-prof"] : [];
  const child = spawn(process.execPath, [...prof, "--import", "tsx", entry], {
    cwd: root,
    env: { ...process.env, ...env, PORT: String(port), HOST: "127.0.0.1", LOG_LEVEL: env.LOG_LEVEL ?? "warn" },
    stdio: ["ignore", "ignore", "pipe"],
  });
  children.add(child);
  child.once("exit", () => children.delete(child));
  const stderr: string[] = [];
  child.stderr!.on("data", (d: Buffer) => {
    stderr.push(d.toString());
    if (stderr.length > 200) stderr.shift();
  });
  return { name, url: `http://127.0.0.1:${port}`, child, stderr };
}

export async function waitReady(s: Service, timeoutMs = 120_000, path = "/ready"): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (s.child.exitCode !== null) throw new Error(`${s.name} exited (${s.child.exitCode}):\n${s.stderr.join("")}`);
    try {
      const res = await fetch(`${s.url}${path}`, { signal: AbortSignal.timeout(2000) });
      if (res.ok) return;
    } catch {
      /* not yet */
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${s.name} not ready after ${timeoutMs} ms:\n${s.stderr.join("")}`);
}

/** Peak resident set size (VmHWM) of a process, in MiB. */
export function peakRssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? NaN);
  return Math.round((kb / 1024) * 10) / 10;
}

export async function stopService(s: Service): Promise<void> {
  if (s.child.exitCode !== null) return;
  const exited = new Promise<void>((r) => s.child.once("exit", () => r()));
  s.child.kill("SIGTERM");
  const timer = setTimeout(() => s.child.kill("SIGKILL"), 10_000);
  await exited;
  clearTimeout(timer);
}
