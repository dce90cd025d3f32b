#!/usr/bin/env node
// bench/bench.mjs — uppfolj against DuckDB on the same generated extracts.
//
//   npm install --prefix bench          # once: @duckdb/node-api into bench/node_modules
//   node bench/bench.mjs [--scale region|national] [--shape NAME,...|all] [--runs N]
//                        [--only ID,...] [--uppfolj PATH]
//
// Makes the data with `uppfolj generate` (into bench/data/, git-ignored) unless it
// is there, in each shape asked for (SHAPES below: the generator's order, rows
// by patient, rows shuffled, numeric ids, few and many visits per patient, faults
// planted), then times the read floor (`cat *.csv | wc -l`) and for each indicator
// of indicators/ (or those of --only) times `uppfolj compute --indicator` against
// DuckDB (2 threads) running the bench/sql file of its derivation with the
// parameters of its JSON (SQL below) on the same CSV files, alternating which
// goes first, and checks that the figures agree: the same units and trend
// months, the same denominators, values within 1e-9 (relative above 1), every
// cell including those the report would suppress (compute does not).  Last
// it times the whole `uppfolj run` (workbook, PDF, archive) with an empty archive
// against DuckDB running every query (not with --no-duck-run), the same month run
// again (every object archived) and `uppfolj rerun` of its manifest.  Prints
// markdown rows: median wall times, their ratio, the multiple of the floor,
// both sides' median CPU seconds and peak RSS (/usr/bin/time -v; DuckDB's CPU
// and RSS are node's whole process: start, CSV reading and query).  Exit 1 when
// any figure disagrees or an indicator has no SQL.
//
// DuckDB's time is its query alone (no node start, no connect): uppfolj's is the
// whole process.  Internal: `node bench.mjs --duck JOBS DATA` runs query files,
// JOBS a JSON list of {sql, vars} (vars: {{name}} -> SQL literal).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync, cpSync, symlinkSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..');
// build-release/uppfolj reads the checkout's built-in definitions, as scripts/demo's does.
process.env.UPPFOLJ_INDICATORS ??= join(root, 'indicators');
const PERIOD = '2024-08';
const monthNumber = (p) => Number(p.slice(0, 4)) * 12 + Number(p.slice(5, 7)) - 1;
const P = monthNumber(PERIOD);

// What bench/sql computes: per file, the derivations whose figures it gives
// (labelled by derivation) and the parameters it takes from an indicator's
// JSON, with their defaults (README "Indicators") and, where the SQL knows
// only some, the values it knows.  Every indicator in indicators/ is checked
// against the file of its derivation, run with its own parameters; one that
// has no SQL, or a parameter the SQL does not know, fails the bench.
const SQL = {
  bedomning: { derivations: ['bedomning_3d'],
    params: { denominator: ['kontakter', 'bedomda'], scope: [null, 'vardgaranti'] } },
  telefon: { derivations: ['telefon_samma_dag'], params: {} },
  listning: { derivations: ['fast_lakarkontakt', 'fast_lakarkontakt_sabo', 'listade_per_fast_lakare'],
    params: { doctors: ['antal', 'heltid'] } },
  kontinuitet: { derivations: ['kontinuitet_coc', 'kontinuitet_upc'],
    params: { professions: [['läkare']], subgroup: [null, 'sabo'], window_months: [18],
      min_visits: [2] } },
};
// Parameters with any value of their default's type (the first listed is the default).
const OPEN = new Set(['professions', 'window_months', 'min_visits']);

// A value as an SQL literal: "alla" professions is NULL, every yrke.
function literal(name, v) {
  if (name === 'professions' && v === 'alla') return 'NULL';
  if (v === null) return 'NULL';
  if (Array.isArray(v)) return `[${v.map((x) => literal(name, x)).join(', ')}]`;
  if (typeof v === 'number' && Number.isInteger(v)) return String(v);
  if (typeof v === 'string') return `'${v.replaceAll("'", "''")}'`;
  throw new Error(`${name}: ${JSON.stringify(v)}`);
}

// Each indicator of indicators/ (the built-ins uppfolj reads): its derivation,
// the SQL file and the job (file and parameters) that computes it, in report order.
function indicators() {
  const dir = process.env.UPPFOLJ_INDICATORS;
  const defs = readdirSync(dir).filter((f) => f.endsWith('.json'))
    .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')))
    .sort((a, b) => a.order - b.order);
  return defs.map((d) => {
    const file = Object.keys(SQL).find((f) => SQL[f].derivations.includes(d.derivation));
    if (!file) return { id: d.id, derivation: d.derivation, problem: 'ingen SQL i bench/sql' };
    const known = SQL[file].params, vars = {};
    for (const [k, values] of Object.entries(known)) vars[k] = values[0];
    for (const [k, v] of Object.entries(d.parameters ?? {})) {
      const ok = k in known && (known[k].some((x) => JSON.stringify(x) === JSON.stringify(v)) ||
        (OPEN.has(k) && (typeof v === typeof known[k][0] || (k === 'professions' && v === 'alla'))));
      if (!ok) return { id: d.id, derivation: d.derivation,
        problem: `bench/sql/${file}.sql känner inte parametern ${k}: ${JSON.stringify(v)}` };
      vars[k] = v;
    }
    const job = { sql: file, vars: Object.fromEntries(Object.entries(vars)
      .map(([k, v]) => [k, literal(k, v)])) };
    return { id: d.id, derivation: d.derivation, job, key: JSON.stringify(job) };
  });
}
const SCALES = {
  region: [],
  national: ['--units', '1100', '--patients', '10000000', '--months', '24'],
};
// The same region in other shapes: generator options, `shuffle` for the
// visit and listing rows in a random order (shuf, from a fixed random source),
// and `plant` for the generator's files with what SPEC allows and the
// generator never writes (plant() below).
const SHAPES = {
  generator: { gen: [] },
  patient: { gen: ['--order', 'patient'] },
  shuffled: { gen: [], shuffle: true },
  numeric: { gen: ['--ids', 'numeric'] },
  'numeric-patient': { gen: ['--ids', 'numeric', '--order', 'patient'] },
  few: { gen: ['--visits', '50'] },
  many: { gen: ['--visits', '300'] },
  planted: { gen: [], plant: true },
};

// What the rules of the national variants turn on, planted where the generator
// has none: fixed GPs missing from lakare.csv (every 17th row left out: one
// post each), a doctor twice at a unit (the first row counts), grades with a
// decimal comma; contacts with an empty vardgaranti (outside the guarantee's
// scope, every 11th) and flags spelt ja/0 (every 7th); yrke in capitals (every
// 5th LÄKARE: matched in any case); and the first 500 patients of the
// listing listed again at the end, at another unit with sabo flipped (the
// first row counts).
function plant(data) {
  const edit = (file, f) => {
    const path = join(data, file);
    const lines = readFileSync(path, 'utf8').split('\n');
    const head = lines[0].split(';');
    const col = (name) => head.indexOf(name);
    const body = lines.slice(1).filter((l) => l !== '').map((l) => l.split(';'));
    writeFileSync(path, [head, ...f(body, col)].map((r) => r.join(';')).join('\n') + '\n');
  };
  edit('lakare.csv', (rows, col) => {
    const g = col('tjanstgoringsgrad');
    const kept = rows.filter((_, i) => i % 17 !== 16).map((r) => {
      r[g] = r[g].replace('.', ',');
      return r;
    });
    return [...kept, Object.assign([...kept[0]], { [g]: '0,1' })];
  });
  edit('kontakter.csv', (rows, col) => rows.map((r, i) => {
    if (i % 11 === 0) r[col('vardgaranti')] = '';
    if (i % 7 === 0) r[col('legitimerad')] = { J: 'ja', N: '0' }[r[col('legitimerad')]] ?? '';
    return r;
  }));
  edit('besok.csv', (rows, col) => rows.map((r, i) => {
    if (i % 5 === 0 && r[col('yrke')] === 'läkare') r[col('yrke')] = 'LÄKARE';
    return r;
  }));
  edit('listning.csv', (rows, col) => {
    const u = col('enhet_id'), s = col('sabo');
    const again = rows.slice(0, 500).map((r) => Object.assign([...r], {
      [u]: r[u] === 'VC001' ? 'VC002' : 'VC001', [s]: r[s] === 'J' ? 'nej' : '1' }));
    return [...rows, ...again];
  });
}
// DuckDB may take this much memory (it spills the rest to bench/data/duckdb-tmp):
// at national scale it would otherwise take 17 GiB of a machine others share.
const DUCK_MEMORY = process.env.BENCH_DUCK_MEMORY ?? '8GB';

async function duck(jobs, data) {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  // its spill files (national scale) go with the data, out of the repository
  const db = await DuckDBInstance.create(':memory:', { threads: '2',
    memory_limit: DUCK_MEMORY, temp_directory: join(here, 'data', 'duckdb-tmp') });
  const con = await db.connect();
  let seconds = 0;
  for (const { sql: file, vars } of jobs) {
    let sql = readFileSync(join(here, 'sql', `${file}.sql`), 'utf8')
      .replaceAll('{{data}}', data).replaceAll('{{p}}', String(P));
    for (const [k, v] of Object.entries(vars)) sql = sql.replaceAll(`{{${k}}}`, v);
    const left = /\{\{\w+\}\}/.exec(sql);
    if (left) throw new Error(`${file}.sql: ${left[0]} har inget värde`);
    const t0 = performance.now();
    const rows = (await con.runAndReadAll(sql)).getRows();
    seconds += (performance.now() - t0) / 1000;
    for (const r of rows) process.stdout.write(r.map(String).join(';') + '\n');
  }
  process.stderr.write(`query_s=${seconds}\n`);
}

// Runs argv under /usr/bin/time -v: wall seconds, peak RSS (KiB), stdout.
function timed(argv, cwd = root) {
  const t0 = performance.now();
  const r = spawnSync('/usr/bin/time', ['-v', ...argv], { cwd, maxBuffer: 1 << 30,
    encoding: 'utf8' });
  const wall = (performance.now() - t0) / 1000;
  if (r.status !== 0)
    throw new Error(`${argv.join(' ')} failed (${r.status}):\n${r.stderr.slice(-2000)}`);
  const rss = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr)[1]);
  // CPU seconds (user + system): on a shared machine less noisy than wall time
  const cpu = Number(/User time \(seconds\): ([\d.]+)/.exec(r.stderr)[1]) +
    Number(/System time \(seconds\): ([\d.]+)/.exec(r.stderr)[1]);
  const q = /query_s=([\d.e+-]+)/.exec(r.stderr);
  return { seconds: q ? Number(q[1]) : wall, cpu, rss, out: r.stdout };
}

const key = (ind, unit, period) => `${ind};${unit};${period}`;
const periodOf = (m) => `${Math.floor(m / 12)}-${String((m % 12) + 1).padStart(2, '0')}`;

// Figures with a denominator, by indicator;unit;month: [taljare, namnare].
function uppfoljFigures(csv, ind) {
  const out = new Map();
  for (const line of csv.split('\n').slice(1)) {
    const f = line.split(';');
    if (f[0] !== ind || !/^\d{4}-\d{2}$/.test(f[2]) || !(Number(f[4]) > 0)) continue;
    out.set(key(f[0], f[1], f[2]), [Number(f[3]), Number(f[4])]);
  }
  return out;
}

// DuckDB's rows are labelled by derivation: those of indicator ind's.
function duckFigures(csv, { id, derivation }) {
  const out = new Map();
  for (const line of csv.split('\n')) {
    const f = line.split(';');
    if (f[0] !== derivation || !(Number(f[4]) > 0)) continue;
    out.set(key(id, f[1], periodOf(Number(f[2]))), [Number(f[3]), Number(f[4])]);
  }
  return out;
}

// Differences between the two, at most a few named.  A denominator that is a
// count is the same count; one that is a sum of posts (listade_per_heltidslakare)
// is the same within 1e-9, as the values are.
function disagreements(a, b) {
  const bad = [];
  const close = (x, y) => Math.abs(x - y) <= 1e-9 * Math.max(1, Math.abs(y));
  for (const [k, [num, den]] of a) {
    const other = b.get(k);
    if (!other) { bad.push(`${k}: saknas i DuckDB`); continue; }
    const va = num / den, vb = other[0] / other[1];
    const counts = Number.isInteger(den) && Number.isInteger(other[1]);
    if (counts ? den !== other[1] : !close(den, other[1]))
      bad.push(`${k}: nämnare ${den} mot ${other[1]}`);
    else if (!close(va, vb))
      bad.push(`${k}: värde ${va} mot ${vb}`);
  }
  for (const k of b.keys()) if (!a.has(k)) bad.push(`${k}: saknas i uppfolj`);
  return bad;
}

const median = (v) => [...v].sort((x, y) => x - y)[Math.floor((v.length - 1) / 2)];

function ensureData(uppfolj, scale, shape) {
  const name = shape === 'generator' ? scale : `${scale}-${shape}`;
  const data = join(here, 'data', name);
  if (!existsSync(join(data, 'besok.csv'))) {
    const { gen, shuffle, plant: planted } = SHAPES[shape];
    mkdirSync(data, { recursive: true });
    console.log(`genererar ${name} i ${data} ...`);
    const r = spawnSync(uppfolj, ['generate', '--out', data, '--period', PERIOD, '--seed', '1',
      '--quiet', ...SCALES[scale], ...gen], { stdio: 'inherit' });
    if (r.status !== 0) throw new Error('generate failed');
    for (const f of shuffle ? ['besok.csv', 'listning.csv'] : []) {
      const path = join(data, f);
      const sh = spawnSync('bash', ['-c', '{ head -n 1 "$1"; tail -n +2 "$1" | ' +
        'shuf --random-source=<(yes); } > "$1.tmp" && mv "$1.tmp" "$1"', 'bash', path],
        { stdio: 'inherit', shell: false });
      if (sh.status !== 0) throw new Error(`shuf ${f} failed`);
    }
    if (planted) plant(data);
  }
  // A region folder for `uppfolj run`: the demo's config, these extracts.
  const run = join(here, 'data', `${name}-run`);
  rmSync(run, { recursive: true, force: true });
  cpSync(join(root, 'examples', 'demo'), run, { recursive: true });
  mkdirSync(join(run, 'extrakt'), { recursive: true });
  symlinkSync(data, join(run, 'extrakt', PERIOD));
  if (scale !== 'region') {
    // the demo's unit targets name the region's units (VC007), not the nation's (VC0007)
    const t = JSON.parse(readFileSync(join(run, 'targets.json'), 'utf8'));
    t.targets = t.targets.filter((x) => !x.unit);
    writeFileSync(join(run, 'targets.json'), JSON.stringify(t));
  }
  return { data, run };
}

function machine() {
  const cpu = /model name\s*:\s*(.*)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1];
  const mem = /MemTotal:\s*(\d+)/.exec(readFileSync('/proc/meminfo', 'utf8'))[1];
  const nproc = spawnSync('nproc', { encoding: 'utf8' }).stdout.trim();
  return `${nproc} cores, ${cpu}, ${(Number(mem) / 1048576).toFixed(1)} GiB RAM`;
}

// The read floor: every extract's bytes through a pipe, in seconds.
function floor(data) {
  const t0 = performance.now();
  const r = spawnSync('sh', ['-c', 'cat "$1"/*.csv | wc -l', 'sh', data]);
  if (r.status !== 0) throw new Error('cat | wc -l failed');
  return { seconds: (performance.now() - t0) / 1000, cpu: 0, rss: 0 };
}

async function benchShape(opts, scale, shape) {
  const { runs, uppfolj, only } = opts;
  const { data, run } = ensureData(uppfolj, scale, shape);
  const self = fileURLToPath(import.meta.url);
  const fl = [];
  for (let i = 0; i < runs; i++) fl.push(floor(data));
  const floorS = median(fl.map((x) => x.seconds));
  console.log(`\n${scale}/${shape}: ${data}, ${runs} körning(ar) var, period ${PERIOD}, ` +
    `golv (cat | wc -l) ${floorS.toFixed(3)} s`);
  console.log('| what | uppfolj s | DuckDB s | ratio | × floor | uppfolj CPU s | DuckDB CPU s | uppfolj RSS | DuckDB RSS | agree |');
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---|');

  let failed = 0;
  const row = (what, u, d, agree) => {
    const med = (xs, f) => median(xs.map(f));
    const us = med(u, (x) => x.seconds), ds = d.length ? med(d, (x) => x.seconds) : NaN;
    const mib = (xs) => xs.length ? `${(Math.max(...xs.map((x) => x.rss)) / 1024).toFixed(0)} MiB` : '–';
    console.log(`| ${what} | ${us.toFixed(3)} | ${d.length ? ds.toFixed(3) : '–'} | ` +
      `${d.length ? (us / ds).toFixed(3) : '–'} | ${(us / floorS).toFixed(2)} | ` +
      `${med(u, (x) => x.cpu).toFixed(2)} | ${d.length ? med(d, (x) => x.cpu).toFixed(2) : '–'} | ${mib(u)} | ` +
      `${mib(d)} | ${agree} |`);
  };
  const inds = indicators();
  for (const ind of inds.filter((i) => !only || only.includes(i.id))) {
    if (ind.problem) {
      failed++;
      console.log(`| ${ind.id} | – | – | – | – | – | – | – | – | NEJ: ${ind.problem} |`);
      continue;
    }
    const u = [], d = [];
    for (let i = 0; i < runs; i++) {
      // alternate who goes first, so that neither always finds a warmer cache
      const us = () => u.push(timed([uppfolj, 'compute', '--data', data, '--period', PERIOD,
        '--indicator', ind.id, '--quiet']));
      const ds = () => d.push(timed(['node', self, '--duck', JSON.stringify([ind.job]), data]));
      if (i % 2) { ds(); us(); } else { us(); ds(); }
    }
    const bad = disagreements(uppfoljFigures(u[0].out, ind.id), duckFigures(d[0].out, ind));
    failed += bad.length > 0;
    row(ind.id, u, d, bad.length ? `NEJ: ${bad.slice(0, 3).join('; ')}` : 'ja');
  }
  if (!only || only.includes('run')) {
    // the whole run: an empty archive (a new month), then the same month again
    // (every object archived), then `uppfolj rerun` of its manifest
    const u = [], again = [], re = [], d = [];
    // every job once: indicators with the same file and parameters share one
    const all = JSON.stringify([...new Map(inds.filter((i) => i.job)
      .map((i) => [i.key, i.job])).values()]);
    const cfg = ['--config', join(run, 'uppfolj.json'), '--period', PERIOD, '--quiet'];
    for (let i = 0; i < runs; i++) {
      const us = () => {
        rmSync(join(run, 'arkiv'), { recursive: true, force: true });
        rmSync(join(run, 'rapporter'), { recursive: true, force: true });
        u.push(timed([uppfolj, 'run', ...cfg]));
        again.push(timed([uppfolj, 'run', ...cfg]));
        const manifest = join(run, 'rapporter', PERIOD, 'manifest.json');
        const out = join(here, 'data', 'rerun-out');
        rmSync(out, { recursive: true, force: true });
        re.push(timed([uppfolj, 'rerun', manifest, '--out', out, '--quiet']));
        rmSync(out, { recursive: true, force: true });
      };
      const ds = () => { if (!opts.noDuckRun) d.push(timed(['node', self, '--duck', all, data])); };
      if (i % 2) { ds(); us(); } else { us(); ds(); }
    }
    row('run, empty archive', u, d, '–');
    row('run again, archived', again, [], '–');
    row('rerun MANIFEST', re, [], '–');
  }
  return failed;
}

async function main(args) {
  const opt = (name, dflt) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : dflt;
  };
  if (args[0] === '--duck') return duck(JSON.parse(args[1]), args[2]);
  const scale = opt('--scale', 'region');
  if (!SCALES[scale]) throw new Error(`okänd skala: ${scale}`);
  const shapeArg = opt('--shape', 'generator');
  const shapes = shapeArg === 'all' ? Object.keys(SHAPES) : shapeArg.split(',');
  for (const s of shapes) if (!SHAPES[s]) throw new Error(`okänd form: ${s}`);
  const opts = {
    runs: Number(opt('--runs', '3')),
    uppfolj: resolve(opt('--uppfolj', join(root, 'build-release', 'uppfolj'))),
    only: opt('--only', null)?.split(','),
    noDuckRun: args.includes('--no-duck-run'),
  };
  console.log(machine());
  let failed = 0;
  for (const s of shapes) failed += await benchShape(opts, scale, s);
  if (failed) {
    console.log(`\n${failed} indikator(er) räknas olika`);
    process.exitCode = 1;
  }
}

await main(process.argv.slice(2));
