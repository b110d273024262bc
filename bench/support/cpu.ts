import { readdir, readFile } from 'node:fs/promises';

// CPU accounting from /proc (Linux), in seconds of CPU, so a case can say how many of the machine's cores each
// part of the run (bench client, server processes, PostgreSQL) used while it ran.
const TICKS_PER_SECOND = 100; // USER_HZ; `getconf CLK_TCK` is 100 on Linux

/** utime + stime of a process, or of one of its threads (`/proc/<pid>/task/<tid>`). */
async function processSeconds(pid: number, thread?: number): Promise<number> {
  try {
    const stat = await readFile(thread === undefined ? `/proc/${pid}/stat` : `/proc/${pid}/task/${thread}/stat`, 'utf8');
    // Field 2 (comm) may contain spaces; the fields after its closing parenthesis start at field 3.
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) / TICKS_PER_SECOND;
  } catch {
    return 0; // the process has exited
  }
}

/**
 * PostgreSQL's CPU for one database: its backends (process title `postgres: <user> <database> …`) plus the
 * cluster's shared background processes (WAL writer, checkpointer, …); backends of other databases are left out.
 * By process, so that a window counts only what each one used within it (see `postgresDelta`).
 */
async function postgresSeconds(database: string): Promise<Map<number, number>> {
  const byPid = new Map<number, number>();
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const comm = await readFile(`/proc/${entry}/comm`, 'utf8').catch(() => '');
    if (comm.trim() !== 'postgres') continue;
    const title = (await readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '')).replace(/\0/g, ' ');
    // `postgres: [cluster: ]user database host(port) state`; background processes have no host part.
    const backend = /^postgres: (?:\S+: )?\S+ (\S+) (?:[\d.:a-f]+\(\d+\)|\[local\])/.exec(title);
    if (backend && backend[1] !== database) continue;
    byPid.set(Number(entry), await processSeconds(Number(entry)));
  }
  return byPid;
}

/**
 * CPU used between two samples: a process there at both counts its difference, one started meanwhile all of its CPU.
 * One that exited meanwhile (an idle pool connection closing) counts nothing: summing totals instead subtracted its
 * whole lifetime, and a COPY window once showed PostgreSQL using less than no CPU.
 */
function postgresDelta(start: Map<number, number>, stop: Map<number, number>): number {
  let used = 0;
  for (const [pid, seconds] of stop) used += seconds - (start.get(pid) ?? 0);
  return used;
}

/** Busy and total CPU seconds of the whole machine (all cores), from /proc/stat. */
async function machineSeconds(): Promise<{ busy: number; total: number }> {
  const line = (await readFile('/proc/stat', 'utf8')).split('\n')[0];
  const v = line.trim().split(/\s+/).slice(1).map(Number);
  const idle = v[3] + (v[4] ?? 0);
  const total = v.slice(0, 8).reduce((a, b) => a + b, 0);
  return { busy: (total - idle) / TICKS_PER_SECOND, total: total / TICKS_PER_SECOND };
}

export interface CpuShare {
  /** Wall-clock seconds of the window. */
  seconds: number;
  /** Cores used on average during the window (CPU seconds ÷ wall seconds). */
  servers: number;
  /** The servers' main threads alone (each runs its event loop there): near 1 per server means the loop is the limit. */
  serverMainThreads: number;
  postgres: number;
  client: number;
  machine: number;
  cores: number;
}

/** Starts a CPU window over the given server processes; `end()` gives the cores each part used meanwhile. */
export async function cpuWindow(serverPids: number[], database: string): Promise<{ end(): Promise<CpuShare> }> {
  const sample = async () => ({
    at: performance.now(),
    servers: (await Promise.all(serverPids.map((p) => processSeconds(p)))).reduce((a, b) => a + b, 0),
    serverMainThreads: (await Promise.all(serverPids.map((p) => processSeconds(p, p)))).reduce((a, b) => a + b, 0),
    postgres: await postgresSeconds(database),
    client: process.cpuUsage(),
    machine: await machineSeconds(),
  });
  const start = await sample();
  return {
    async end() {
      const stop = await sample();
      const seconds = (stop.at - start.at) / 1000;
      const client = process.cpuUsage(start.client);
      return {
        seconds,
        servers: (stop.servers - start.servers) / seconds,
        serverMainThreads: (stop.serverMainThreads - start.serverMainThreads) / seconds,
        postgres: postgresDelta(start.postgres, stop.postgres) / seconds,
        client: (client.user + client.system) / 1e6 / seconds,
        machine: (stop.machine.busy - start.machine.busy) / seconds,
        cores: (stop.machine.total - start.machine.total) / seconds,
      };
    },
  };
}
