// Profiles one stretch of a bench in this process (BENCH_PROFILE=file.cpuprofile), so a
// profile holds the measured loop only, not the set-up or the reference run beside it.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';

export async function profiled<T>(work: () => Promise<T>): Promise<T> {
  const file = process.env.BENCH_PROFILE;
  if (!file) return work();
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  try {
    return await work();
  } finally {
    const { profile } = await session.post('Profiler.stop');
    writeFileSync(file, JSON.stringify(profile));
    session.disconnect();
    console.log(`CPU profile of the measured loop: ${file}`);
  }
}

/**
 * CPU time in ms used so far by the local PostgreSQL server's processes (the benches share the
 * machine's cores with it); null when it is not on this machine or /proc cannot be read.
 */
export function postgresCpuMs(): number | null {
  try {
    let ticks = 0;
    let found = false;
    for (const pid of readdirSync('/proc')) {
      if (!/^\d+$/.test(pid)) continue;
      let stat: string;
      try {
        stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      } catch {
        continue; // ended meanwhile
      }
      const close = stat.lastIndexOf(')');
      if (!stat.slice(0, close).includes('(postgres')) continue;
      const fields = stat.slice(close + 2).split(' ');
      // utime and stime are fields 14 and 15 of stat, 12 and 13 after the command's ")".
      ticks += Number(fields[11]) + Number(fields[12]);
      found = true;
    }
    return found ? (ticks * 1000) / 100 : null; // USER_HZ is 100 on Linux
  } catch {
    return null;
  }
}
