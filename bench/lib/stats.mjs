import process from 'node:process';
import console from 'node:console';
import os from 'node:os';
import { performance } from 'node:perf_hooks';

/** Value at quantile q (0..1) of the samples, nearest-rank. */
export function quantile(samples, q) {
  if (samples.length === 0) throw new RangeError('quantile of no samples');
  const sorted = Float64Array.from(samples).sort();
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

export function median(samples) {
  return quantile(samples, 0.5);
}

/** Latency summary in milliseconds from per-call samples in milliseconds. */
export function latencySummary(ms) {
  return { p50: quantile(ms, 0.5), p99: quantile(ms, 0.99), mean: ms.reduce((s, v) => s + v, 0) / ms.length };
}

export function fmt(value, digits = 3) {
  return Number.isFinite(value) ? value.toFixed(digits) : String(value);
}

export function ratio(a, b) {
  return b === 0 ? Number.NaN : a / b;
}

/** Where the numbers were taken, stored next to them. */
export function machineInfo() {
  return {
    node: process.version,
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    totalMemoryGiB: +(os.totalmem() / 2 ** 30).toFixed(1),
    loadAverage: os.loadavg(),
    date: new Date().toISOString(),
  };
}

export function log(message) {
  console.log(`[${new Date().toISOString().slice(11, 19)}] ${message}`);
}

/**
 * An ALS onIteration callback that records each iteration's wall seconds and process CPU seconds (worker threads
 * included: a shared machine inflates the wall clock, CPU time much less) and logs them, with `extra()` if given.
 */
export function iterationTimer(label, seconds, cpuSeconds, extra = () => '') {
  let cpu = process.cpuUsage();
  return (e) => {
    const used = process.cpuUsage(cpu);
    cpu = process.cpuUsage();
    seconds.push(e.seconds);
    cpuSeconds.push((used.user + used.system) / 1e6);
    log(
      `  ${label} iteration ${e.iteration}: ${e.seconds.toFixed(3)}s wall, ${cpuSeconds.at(-1).toFixed(3)}s cpu ${extra()}`,
    );
  };
}

/** Runs fn (awaiting it if it is async): its value, wall seconds and process CPU seconds (worker threads included). */
export async function timed(fn) {
  const wall = performance.now();
  const cpu = process.cpuUsage();
  const value = await fn();
  const used = process.cpuUsage(cpu);
  return { value, seconds: (performance.now() - wall) / 1000, cpuSeconds: (used.user + used.system) / 1e6 };
}
