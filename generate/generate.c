/* generate/generate.c — a synthetic region that looks like Kronoberg's
 * extracts (SPEC "Inputs"), deterministic from the seed.
 *
 * Nothing is held per row or per patient: a unit's patients are a
 * contiguous range of indices, and every patient's traits, pseudonym, life
 * in the region and visits are recomputed from keyed hashes of the index
 * when needed.
 *
 * The region has one history in calendar time, whatever period is asked:
 * every stream is keyed by calendar month (never by the month's place in
 * the output), trends are anchored to a fixed month, and a patient's
 * arrival, departure, move to another unit and fixed GP gained or lost
 * happen in fixed calendar months.  So two consecutive periods generated
 * with one seed agree about every month they share, and the listing
 * changes a little from one month to the next.  So
 * memory depends on the number of units only, and besok.csv (the biggest
 * file by far) is written by a second thread while this one writes the
 * rest. */
#include "generate/generate.h"

#include "out.h"
#include "rng.h"

#include <math.h>
#include <pthread.h>
#include <stddef.h>
#include <sys/stat.h>

enum {
    KEY_UNIT = 1, KEY_PATIENT, KEY_PSEUDONYM, KEY_VISIT, KEY_CONTACT, KEY_CALL, KEY_AGGREGAT,
    KEY_LIFE, KEY_GUARANTEE, KEY_DOCTOR
};
enum { F_ENHETER, F_LISTNING, F_KONTAKTER, F_SAMTAL, F_BESOK, F_AGGREGAT, F_LAKARE, F__COUNT };
static const char *const file_names[F__COUNT] = {
    "enheter.csv", "listning.csv", "kontakter.csv", "samtal.csv",
    "besok.csv",   "aggregat.csv", "lakare.csv"};

/* The calendar month the trends are anchored to: the audit's August 2024
 * (phone answered same day 92 %, a year before 88 %). */
#define ANCHOR (2024 * 12 + 7)
/* Life events fall in the ten years around the anchor. */
enum { LIFE_SPAN = 120 };

/* The indicator of examples/demo/indikatorer/ that aggregat.csv delivers. */
#define AGGREGAT_INDICATOR "digitala_forstakontakter"

/* Activity by calendar month: the summer holidays empty the waiting rooms. */
static const double season[12] = {1.08, 1.05, 1.05, 1.0, 0.97, 0.88, 0.66, 0.84, 1.05, 1.06, 1.06, 0.92};
/* Summer staffing (holidays, more hyrläkare) costs the 3-day assessment a few points. */
static const double bed3_dip[12] = {0, 0, 0, 0, 0, -0.03, -0.07, -0.04, 0, 0, 0, 0};

/* Visits a month (all staff) by a patient's class: most patients rarely
 * come, a few come very often (the mean is about 0.22). */
static const double visit_rate[16] = {0.01, 0.02, 0.03, 0.05, 0.07, 0.09, 0.11, 0.13,
                                      0.16, 0.19, 0.23, 0.28, 0.34, 0.42, 0.55, 0.80};

/* Kronoberg's vårdcentral places, ordered so that the first thirty units
 * spread over all eight municipalities, a few with long names. */
static const struct {
    const char *place, *kommun;
} places[] = {
    {"Teleborg", "Växjö"},
    {"Växjö", "Växjö"},
    {"Ljungby", "Ljungby"},
    {"Alvesta", "Alvesta"},
    {"Dalbo", "Växjö"},
    {"Älmhult", "Älmhult"},
    {"Öster", "Växjö"},
    {"Tingsryd, Ryd och Urshult", "Tingsryd"},
    {"Markaryd", "Markaryd"},
    {"Birka", "Växjö"},
    {"Lessebo", "Lessebo"},
    {"Åseda", "Uppvidinge"},
    {"Sandsbro", "Växjö"},
    {"Lagan", "Ljungby"},
    {"Moheda", "Alvesta"},
    {"Växjö Centrum, Teleborg", "Växjö"},
    {"Hovmantorp", "Lessebo"},
    {"Braås", "Växjö"},
    {"Vislanda", "Alvesta"},
    {"Strömsnäs bruk", "Markaryd"},
    {"Lammhult", "Växjö"},
    {"Diö", "Älmhult"},
    {"Norr", "Växjö"},
    {"Ryssby", "Ljungby"},
    {"Lenhovda", "Uppvidinge"},
    {"Rottne", "Växjö"},
    {"Kosta och Skruv", "Lessebo"},
    {"Ingelstad", "Växjö"},
    {"Väster, Araby och Hov", "Växjö"},
    {"Konga", "Tingsryd"},
    {"Gemla", "Växjö"},
    {"Liatorp", "Älmhult"},
    {"Grimslöv", "Alvesta"},
    {"Vittaryd", "Ljungby"},
    {"Norrhult", "Uppvidinge"},
    {"Åryd", "Växjö"},
};
enum { NPLACES = sizeof places / sizeof places[0] };

static const char *const private_brands[] = {"Capio Vårdcentral", "Kry Vårdcentral",
                                             "Praktikertjänst Vårdcentral", "Läkarhuset",
                                             "Smålandsläkarna"};
enum { NPRIVATE_BRANDS = sizeof private_brands / sizeof private_brands[0] };

typedef struct {
    char *id, *name;
    const char *regi, *kommun;
    long first, count;  /* its listed patients: indices [first, first + count) */
    double flk;         /* share of its listed patients with a fixed GP */
    double bed3;        /* share assessed within 3 days, before the summer dip */
    double phone;       /* offset to the region's same-day answer share */
    double continuity;  /* scales how often patients see their usual doctor */
    double digital;     /* share of first contacts made through 1177 */
    uint32_t ngp, ndoc; /* doctors 0..ngp-1 are the fixed GPs */
    uint32_t nnurse, nphysio;
    long doc0, nurse0, physio0; /* region-wide number of its first of each */
} unit;

typedef struct {
    const uf_gen_opts *o;
    unit *units;
    long nunits;
    int staff_width;
    uint64_t key_patient, key_pseudonym, key_visit, key_contact, key_call, key_aggregat, key_life;
    uint64_t key_guarantee;
    uf_month first13; /* P-12: kontakter, samtal and aggregat cover P-12..P */
    uf_day day0;      /* dates[i] is day0 + i, as "YYYY-MM-DD" */
    long ndays;
    char (*dates)[10];
    long rows[F__COUNT];
} gen;

/* The days of one month with a weight each: weekends are quiet. */
typedef struct {
    uf_day first;
    int n;
    double w[31], sum;
} month_days;

static void month_days_init(month_days *md, uf_month m, double saturday, double sunday)
{
    int y = uf_month_year(m), mo = uf_month_number(m);
    md->first = uf_day_make(y, mo, 1);
    md->n = uf_days_in_month(y, mo);
    md->sum = 0;
    for (int d = 0; d < md->n; d++) {
        int wd = uf_weekday(md->first + d);
        md->w[d] = wd < 5 ? 1.0 : wd == 5 ? saturday : sunday;
        md->sum += md->w[d];
    }
}

static int month_days_pick(const month_days *md, uf_rng *r)
{
    double x = uf_rng_unit(r) * md->sum;
    int d = 0;
    while (d < md->n - 1 && x >= md->w[d])
        x -= md->w[d++];
    return d;
}

/* Shares total out over the days by jittered weight, rounding at random so
 * that the sum stays exact: rows come out in date order without being held. */
static void month_days_spread(const month_days *md, uf_rng *r, long total, long out[31])
{
    double w[31], left = 0;
    int last = 0;
    for (int d = 0; d < md->n; d++) {
        w[d] = md->w[d] * (0.75 + 0.5 * uf_rng_unit(r));
        left += w[d];
        if (w[d] > 0)
            last = d;
    }
    for (int d = 0; d < md->n; d++) {
        long n = left > 0 ? (long)(total * w[d] / left + uf_rng_unit(r)) : 0;
        out[d] = n < total ? n : total;
        total -= out[d];
        left -= w[d];
    }
    out[last] += total; /* what rounding in floating point left over */
}

static long jitter_count(uf_rng *r, double mean)
{
    double x = mean + sqrt(mean) * uf_rng_gauss(r);
    return x > 0 ? (long)(x + 0.5) : 0;
}

static double clamp(double x, double lo, double hi) { return x < lo ? lo : x > hi ? hi : x; }

static int digits(long v)
{
    int n = 1;
    while (v >= 10) {
        v /= 10;
        n++;
    }
    return n;
}

/* ------------------------------------------------------------------ units */

/* Shifts one parameter of every unit so that its mean weighted by listed
 * patients is target: with a few dozen units, the draw alone would let the
 * region's level wander with the seed. */
static void calibrate(gen *g, size_t field, double target, double lo, double hi)
{
    double sum = 0, n = 0;
    for (long k = 0; k < g->nunits; k++) {
        sum += *(double *)((char *)&g->units[k] + field) * (double)g->units[k].count;
        n += (double)g->units[k].count;
    }
    if (n <= 0)
        return;
    for (long k = 0; k < g->nunits; k++) {
        double *v = (double *)((char *)&g->units[k] + field);
        *v = clamp(*v + target - sum / n, lo, hi);
    }
}

static void units_build(gen *g)
{
    const uf_gen_opts *o = g->o;
    long n = g->nunits;
    g->units = uf_xcalloc((size_t)n, sizeof *g->units);
    double *weight = uf_xmalloc((size_t)n * sizeof *weight), total = 0;
    int width = digits(n) < 3 ? 3 : digits(n);
    long nprivate = 0, npublic = 0;
    for (long k = 0; k < n; k++) {
        unit *u = &g->units[k];
        uf_rng r = uf_rng_at(uf_rng_key(o->seed, KEY_UNIT), (uint64_t)k, 0);
        u->id = uf_xasprintf("VC%0*ld", width, k + 1);
        /* Two in five private, at fixed places so that a unit's regi does
         * not change with the seed (targets.json names VC007). */
        int private = k % 5 == 1 || k % 5 == 3;
        const char *brand = private ? private_brands[nprivate++ % NPRIVATE_BRANDS]
                            : npublic++ % 4 == 1 ? "Hälsocentralen"
                                                 : "Vårdcentralen";
        long round = k / NPLACES;
        u->name = round ? uf_xasprintf("%s %s %ld", brand, places[k % NPLACES].place, round + 1)
                        : uf_xasprintf("%s %s", brand, places[k % NPLACES].place);
        u->regi = private ? "privat" : "offentlig";
        u->kommun = places[k % NPLACES].kommun;
        /* Sizes vary a lot; every tenth unit is tiny so that some of its
         * months fall under the minimum n. */
        weight[k] = exp(0.55 * uf_rng_gauss(&r)) * (k % 10 == 8 ? 0.05 : k % 10 == 4 ? 0.3 : 1);
        total += weight[k];
        u->flk = 0.10 + 0.65 * pow(uf_rng_unit(&r), 1.5); /* 10-75 %, mean 36 % */
        u->bed3 = 0.70 + 0.27 * pow(uf_rng_unit(&r), 0.75);
        u->phone = (uf_rng_unit(&r) - 0.5) * 0.10;
        u->continuity = 0.6 + 0.8 * uf_rng_unit(&r);
        u->digital = 0.10 + 0.10 * uf_rng_unit(&r) + (private ? 0.05 : 0);
    }
    double cum = 0;
    for (long k = 0; k < n; k++) {
        unit *u = &g->units[k];
        u->first = (long)floor((double)o->patients * cum / total + 0.5);
        cum += weight[k];
        long end = k + 1 == n ? o->patients : (long)floor((double)o->patients * cum / total + 0.5);
        u->count = end - u->first;
    }
    /* The audit's levels, whatever the draw: bedömning 85 % over the year
     * once the summer dip is taken, fast läkarkontakt 36 %. */
    calibrate(g, offsetof(unit, bed3), 0.865, 0.55, 0.98);
    calibrate(g, offsetof(unit, flk), 0.36, 0.08, 0.80);
    calibrate(g, offsetof(unit, phone), 0, -0.10, 0.06);
    calibrate(g, offsetof(unit, continuity), 1, 0.5, 1.6);
    long doc = 1, nurse = 1, physio = 1;
    for (long k = 0; k < n; k++) {
        unit *u = &g->units[k];
        uf_rng r = uf_rng_at(uf_rng_key(o->seed, KEY_UNIT), (uint64_t)k, 1);
        double per_gp = 650 + 1000 * uf_rng_unit(&r); /* listed with a fixed GP, per GP */
        long gp = lround((double)u->count * u->flk / per_gp);
        u->ngp = (uint32_t)(gp < 1 ? 1 : gp);
        u->ndoc = u->ngp + 1 + (uint32_t)(u->count / 3000); /* locums and ST doctors */
        u->nnurse = 1 + (uint32_t)(u->count / 1500);
        u->nphysio = 1 + (uint32_t)(u->count / 4000);
        u->doc0 = doc, u->nurse0 = nurse, u->physio0 = physio;
        doc += u->ndoc, nurse += u->nnurse, physio += u->nphysio;
    }
    long most = doc > nurse ? doc : nurse;
    most = most > physio ? most : physio;
    g->staff_width = digits(most) < 4 ? 4 : digits(most);
    free(weight);
}

/* --------------------------------------------------------------- patients */

typedef struct {
    int sabo, flk, cls;
    uint32_t usual; /* index of the unit's doctor they mostly see */
    long unit;      /* where they are listed this month */
} patient;

/* A month of the ten years around the anchor, from 16 bits of h. */
static uf_month life_month(uint64_t h)
{
    return ANCHOR - LIFE_SPAN / 2 + (uf_month)((h & 0xffff) * LIFE_SPAN >> 16);
}

/* Patient i of unit k (its first unit) in calendar month m: 0 when not in
 * the region then.  About one in ten arrives during the ten years and one
 * in ten leaves, one in twenty moves to another unit, one in eight gains
 * or loses a fixed GP: a few a month for every thousand listed. */
static int patient_at(const gen *g, long k, long i, uf_month m, patient *p)
{
    uint64_t life = uf_rng_mix(g->key_life ^ (uint64_t)i), more = uf_rng_mix(life);
    int arrives = (life >> 16 & 0xff) < 26, leaves = (life >> 24 & 0xff) < 26;
    int moves = (life >> 32 & 0xff) < 13, toggles = (life >> 40 & 0xff) < 32;
    uf_month arrival = life_month(more), departure = life_month(more >> 16);
    if ((arrives && m < arrival) || (leaves && m >= departure && !(arrives && departure <= arrival)))
        return 0;
    long at = k;
    if (moves && g->nunits > 1 && m >= life_month(more >> 32)) {
        long other = (long)((life >> 48) % (uint64_t)(g->nunits - 1));
        at = other >= k ? other + 1 : other;
    }
    const unit *u = &g->units[at];
    uint64_t h = uf_rng_mix(g->key_patient ^ (uint64_t)i);
    p->unit = at;
    p->cls = (int)(h & 15);
    p->sabo = ((h >> 4) & 0xffff) < 656; /* 1 % */
    /* Säbo residents are old and get a fixed GP more often (~60 %). */
    double flk = p->sabo ? 0.35 + 0.7 * u->flk : u->flk;
    p->flk = ((double)((h >> 20) & 0xfffff) < flk * 0x100000) ^
             (toggles && m >= life_month(more >> 48));
    uint32_t pick = (uint32_t)(h >> 40);
    p->usual = p->flk ? pick % u->ngp : pick % u->ndoc;
    return 1;
}

/* "P" and 9 hex digits: a keyed permutation of the 36-bit index space (odd
 * multiplications and right xor-shifts are invertible), so pseudonyms are
 * opaque and still never collide. */
static void out_pseudonym(uf_out *o, const gen *g, long i)
{
    if (g->o->numeric_ids) { /* a register's serial numbers: 100000000 + index */
        uf_out_uint(o, (uint64_t)(100000000L + i), 9);
        return;
    }
    const uint64_t mask = (UINT64_C(1) << 36) - 1;
    uint64_t x = ((uint64_t)i ^ g->key_pseudonym) & mask;
    x = (x * UINT64_C(0x9e3779b97)) & mask;
    x ^= x >> 17;
    x = (x + (g->key_pseudonym >> 28)) & mask;
    x = (x * UINT64_C(0xc2b2ae3d5)) & mask;
    x ^= x >> 19;
    x = (x * UINT64_C(0x27d4eb2f1)) & mask;
    x ^= x >> 16;
    uf_out_ch(o, 'P');
    uf_out_hex(o, x, 9);
}

static void out_field(uf_out *o, const char *s)
{
    uf_out_str(o, s);
    uf_out_ch(o, ';');
}

static void out_date(uf_out *o, const gen *g, uf_day d) { uf_out_mem(o, g->dates[d - g->day0], 10); }

static void out_staff(uf_out *o, const gen *g, char prefix, long number)
{
    uf_out_ch(o, prefix);
    uf_out_uint(o, (uint64_t)number, g->staff_width);
}

static void out_flag(uf_out *o, int on) { uf_out_ch(o, on ? 'J' : 'N'); }

/* A timestamp as day plus seconds, the seconds past midnight rolling over. */
static void out_time(uf_out *o, const gen *g, uf_day d, long sec)
{
    out_date(o, g, d + (uf_day)(sec / 86400));
    sec %= 86400;
    uf_out_ch(o, ' ');
    uf_out_2d(o, (int)(sec / 3600));
    uf_out_ch(o, ':');
    uf_out_2d(o, (int)(sec / 60 % 60));
    uf_out_ch(o, ':');
    uf_out_2d(o, (int)(sec % 60));
}

/* ------------------------------------------------------------------ files */

static int file_open(uf_out *o, const gen *g, int f, const char *header, uf_error *err)
{
    return uf_out_open(o, g->o->out_dir, file_names[f], header, err);
}

static int file_close(uf_out *o, gen *g, int f, uf_error *err)
{
    g->rows[f] = o->rows;
    return uf_out_close(o, err);
}

static int write_enheter(gen *g, uf_error *err)
{
    uf_out o;
    if (file_open(&o, g, F_ENHETER, "enhet_id;namn;regi;kommun", err))
        return -1;
    for (long k = 0; k < g->nunits; k++) {
        const unit *u = &g->units[k];
        out_field(&o, u->id);
        out_field(&o, u->name);
        out_field(&o, u->regi);
        uf_out_str(&o, u->kommun);
        uf_out_eol(&o);
    }
    return file_close(&o, g, F_ENHETER, err);
}

static int write_listning(gen *g, uf_error *err)
{
    uf_out o;
    if (file_open(&o, g, F_LISTNING, "patient_id;enhet_id;fast_lakare;sabo", err))
        return -1;
    for (long k = 0; k < g->nunits; k++) {
        const unit *u = &g->units[k];
        for (long i = u->first; i < u->first + u->count; i++) {
            patient p;
            if (!patient_at(g, k, i, g->o->period, &p))
                continue;
            const unit *at = &g->units[p.unit];
            out_pseudonym(&o, g, i);
            uf_out_ch(&o, ';');
            out_field(&o, at->id);
            if (p.flk)
                out_staff(&o, g, 'L', at->doc0 + p.usual);
            uf_out_ch(&o, ';');
            out_flag(&o, p.sabo);
            uf_out_eol(&o);
        }
    }
    return file_close(&o, g, F_LISTNING, err);
}

/* Days from contact to assessment when the guarantee is met (day 0 is the
 * contact day). */
static int met_delay(uf_rng *r)
{
    double x = uf_rng_unit(r);
    return x < 0.45 ? 0 : x < 0.70 ? 1 : x < 0.88 ? 2 : 3;
}

static void contact_row(uf_out *o, const gen *g, const unit *u, uf_rng *r, uf_day day, double met,
                        long seq)
{
    int delay = 0, licensed = 1, chosen = 0, assessed = 1;
    double x = uf_rng_unit(r);
    if (x < 0.0005) {
        delay = -1 - (int)uf_rng_below(r, 3); /* the data error the report must catch */
    } else if (x < 0.0305) {
        chosen = 1;
        delay = 2 + (int)uf_rng_below(r, 27);
    } else if (uf_rng_chance(r, met)) {
        delay = met_delay(r);
    } else {
        double y = uf_rng_unit(r);
        if (y < 0.12)
            assessed = licensed = 0;
        else if (y < 0.27)
            licensed = 0, delay = met_delay(r);
        else
            delay = 4 + (int)fmin(uf_rng_exp(r, 5), 40);
    }
    out_field(o, u->id);
    out_date(o, g, day);
    uf_out_ch(o, ';');
    if (assessed)
        out_date(o, g, day + delay);
    uf_out_ch(o, ';');
    out_flag(o, licensed);
    uf_out_ch(o, ';');
    out_flag(o, chosen);
    /* Within the care guarantee (new or worse complaints) about 85 %: from
     * the row's id, not the stream, so the other columns stay as they were. */
    uf_out_ch(o, ';');
    out_flag(o, (uf_rng_mix(g->key_guarantee ^ (uint64_t)seq) & 0xff) < 218);
    uf_out_ch(o, ';');
    uf_out_ch(o, 'K');
    uf_out_uint(o, (uint64_t)seq, 10);
    uf_out_eol(o);
}

/* A row id that is the same whatever period is generated: YYMM and the
 * row's number in its month ("2308000001"). */
static long month_id(uf_month m, long seq)
{
    return (uf_month_year(m) % 100 * 100 + uf_month_number(m)) * 1000000L + seq;
}

static int write_kontakter(gen *g, uf_error *err)
{
    uf_out o;
    if (file_open(&o, g, F_KONTAKTER,
                  "enhet_id;kontaktdatum;bedomningsdatum;legitimerad;patientvald_vantan;vardgaranti;"
                  "kontakt_id",
                  err))
        return -1;
    long per_day[31];
    for (int t = 0; t < 13; t++) {
        uf_month m = g->first13 + t;
        long seq = 0;
        int mo = uf_month_number(m) - 1;
        month_days md;
        month_days_init(&md, m, 0.12, 0.08);
        for (long k = 0; k < g->nunits; k++) {
            const unit *u = &g->units[k];
            uf_rng r = uf_rng_at(g->key_contact, (uint64_t)k, (uint64_t)m);
            long n = jitter_count(&r, (double)u->count * 0.08 * season[mo]);
            double met = clamp(u->bed3 + bed3_dip[mo] + 0.012 * uf_rng_gauss(&r), 0.3, 0.995);
            month_days_spread(&md, &r, n, per_day);
            for (int d = 0; d < md.n; d++)
                for (long j = 0; j < per_day[d]; j++)
                    contact_row(&o, g, u, &r, md.first + d, met, month_id(m, ++seq));
        }
    }
    return file_close(&o, g, F_KONTAKTER, err);
}

/* A call placed at sec past midnight on day: answered (or called back) the
 * same day with probability same_day when within opening hours; evening
 * calls may be answered after midnight. */
static void call_row(uf_out *o, const gen *g, const unit *u, uf_rng *r, uf_day day,
                     double same_day, long seq)
{
    int weekend = uf_weekday(day) >= 5;
    int open = !weekend && !uf_rng_chance(r, 0.015);
    long at, answered = -1; /* seconds past midnight of day; may pass 86400 */
    if (open)
        at = 8 * 3600 + (long)(9 * 3600 * pow(uf_rng_unit(r), 1.5)); /* the morning rush */
    else if (weekend)
        at = 9 * 3600 + (long)uf_rng_below(r, 6 * 3600);
    else
        at = 17 * 3600 + (long)uf_rng_below(r, 7 * 3600);
    double x = uf_rng_unit(r);
    long callback = 86400 + 8 * 3600 + (long)uf_rng_below(r, 4 * 3600);
    if (open) {
        if (uf_rng_chance(r, same_day))
            answered = (long)fmin(at + uf_rng_exp(r, 1500), 86399);
        else if (x < 0.55)
            answered = callback;
    } else if (x < 0.45) {
        answered = at + (long)uf_rng_exp(r, 900);
    } else if (x < 0.80) {
        answered = callback;
    }
    out_field(o, u->id);
    out_time(o, g, day, at);
    uf_out_ch(o, ';');
    if (answered >= 0)
        out_time(o, g, day, answered);
    uf_out_ch(o, ';');
    out_flag(o, open);
    uf_out_ch(o, ';');
    uf_out_ch(o, 'T');
    uf_out_uint(o, (uint64_t)seq, 10);
    uf_out_eol(o);
}

static int write_samtal(gen *g, uf_error *err)
{
    uf_out o;
    if (file_open(&o, g, F_SAMTAL, "enhet_id;samtal_tid;besvarad_tid;inom_oppettid;samtal_id", err))
        return -1;
    long per_day[31];
    for (int t = 0; t < 13; t++) {
        uf_month m = g->first13 + t;
        long seq = 0;
        int mo = uf_month_number(m) - 1;
        month_days md;
        month_days_init(&md, m, 0.04, 0.04);
        /* 88 % a year before the anchor, 92 % in it, as in the audit. */
        double trend = clamp(0.92 + 0.04 * (double)(m - ANCHOR) / 12.0, 0.80, 0.96);
        for (long k = 0; k < g->nunits; k++) {
            const unit *u = &g->units[k];
            uf_rng r = uf_rng_at(g->key_call, (uint64_t)k, (uint64_t)m);
            long n = jitter_count(&r, (double)u->count * 0.10 * season[mo]);
            double same_day = clamp(trend + u->phone + 0.01 * uf_rng_gauss(&r), 0.5, 0.995);
            month_days_spread(&md, &r, n, per_day);
            for (int d = 0; d < md.n; d++)
                for (long j = 0; j < per_day[d]; j++)
                    call_row(&o, g, u, &r, md.first + d, same_day, month_id(m, ++seq));
        }
    }
    return file_close(&o, g, F_SAMTAL, err);
}

/* Every doctor of every unit with a post of 50-100 %; about one in six
 * of them an ST doctor, never the unit's first fixed GP. */
static int write_lakare(gen *g, uf_error *err)
{
    static const char *const post[8] = {"1", "1", "1", "1", "0.9", "0.8", "0.75", "0.5"};
    uf_out o;
    if (file_open(&o, g, F_LAKARE, "vardgivare_id;enhet_id;tjanstgoringsgrad;st", err))
        return -1;
    uint64_t key = uf_rng_key(g->o->seed, KEY_DOCTOR);
    for (long k = 0; k < g->nunits; k++) {
        const unit *u = &g->units[k];
        for (uint32_t j = 0; j < u->ndoc; j++) {
            uint64_t h = uf_rng_mix(key ^ (uint64_t)(u->doc0 + j));
            out_staff(&o, g, 'L', u->doc0 + j);
            uf_out_ch(&o, ';');
            out_field(&o, u->id);
            uf_out_str(&o, post[h & 7]);
            uf_out_ch(&o, ';');
            out_flag(&o, j > 0 && (h >> 8) % 6 == 0);
            uf_out_eol(&o);
        }
    }
    return file_close(&o, g, F_LAKARE, err);
}

static int write_aggregat(gen *g, uf_error *err)
{
    uf_out o;
    if (file_open(&o, g, F_AGGREGAT, "indikator;enhet_id;period;taljare;namnare", err))
        return -1;
    for (int t = 0; t < 13; t++) {
        uf_month m = g->first13 + t;
        char period[8];
        uf_month_format(m, period);
        for (long k = 0; k < g->nunits; k++) {
            const unit *u = &g->units[k];
            uf_rng r = uf_rng_at(g->key_aggregat, (uint64_t)k, (uint64_t)m);
            long first = jitter_count(&r, (double)u->count * 0.035 * season[uf_month_number(m) - 1]);
            double grown = clamp(0.08 * (double)(m - (ANCHOR - 12)) / 12.0, -0.08, 0.24);
            double share = clamp(u->digital + grown + 0.015 * uf_rng_gauss(&r), 0, 1);
            long digital = 0;
            for (long j = 0; j < first; j++)
                digital += uf_rng_chance(&r, share);
            out_field(&o, AGGREGAT_INDICATOR);
            out_field(&o, u->id);
            out_field(&o, period);
            uf_out_uint(&o, (uint64_t)digital, 1);
            uf_out_ch(&o, ';');
            uf_out_uint(&o, (uint64_t)first, 1);
            uf_out_eol(&o);
        }
    }
    return file_close(&o, g, F_AGGREGAT, err);
}

/* P(X <= k) of a Poisson count, k = 0..VISITS_MAX-1; a draw past the table is VISITS_MAX. */
enum { VISITS_MAX = 16 };

static void poisson_cdf(double lambda, double cdf[VISITS_MAX])
{
    double p = exp(-lambda), s = p;
    for (int k = 0; k < VISITS_MAX; k++) {
        cdf[k] = s;
        p *= lambda / (k + 1);
        s += p;
    }
}

static int poisson_draw(const double cdf[VISITS_MAX], double x)
{
    int k = 0;
    while (k < VISITS_MAX && x >= cdf[k])
        k++;
    return k;
}

static void visit_row(uf_out *o, const gen *g, long i, const patient *p, uf_rng *r, uf_day day)
{
    long k = p->unit;
    const unit *u = &g->units[k], *at = u;
    double x = uf_rng_unit(r);
    double doctor = p->sabo ? 0.40 : 0.55, nurse = doctor + (p->sabo ? 0.50 : 0.32);
    char prefix;
    long who;
    const char *yrke, *typ = "mottagning";
    if (x < doctor) {
        /* Continuity: a fixed GP is seen far more often than the usual
         * doctor of a patient without one. */
        double usual = fmin(0.95, (p->flk ? 0.52 : 0.21) * u->continuity);
        if (g->nunits > 1 && uf_rng_chance(r, 0.02)) {
            long other = (long)uf_rng_below(r, (uint32_t)g->nunits - 1);
            at = &g->units[other >= k ? other + 1 : other];
            who = at->doc0 + uf_rng_below(r, at->ndoc);
        } else {
            who = u->doc0 + (uf_rng_chance(r, usual) ? p->usual : uf_rng_below(r, u->ndoc));
        }
        prefix = 'L';
        yrke = uf_rng_chance(r, 0.06) ? "Läkare" : "läkare";
    } else if (x < nurse) {
        prefix = 'S';
        who = u->nurse0 + uf_rng_below(r, u->nnurse);
        yrke = "sjuksköterska";
    } else {
        prefix = 'F';
        who = u->physio0 + uf_rng_below(r, u->nphysio);
        yrke = "fysioterapeut";
    }
    if (prefix != 'F') {
        double y = uf_rng_unit(r);
        typ = p->sabo ? (y < 0.6 ? "hembesök" : "mottagning")
                      : (y < 0.05 ? "hembesök" : y < 0.22 ? "distans" : "mottagning");
    }
    out_pseudonym(o, g, i);
    uf_out_ch(o, ';');
    out_field(o, at->id);
    out_staff(o, g, prefix, who);
    uf_out_ch(o, ';');
    out_field(o, yrke);
    out_date(o, g, day);
    uf_out_ch(o, ';');
    uf_out_str(o, typ);
    uf_out_eol(o);
}

/* One month's weighted days and visit-count tables (by säbo and class). */
typedef struct {
    month_days md;
    double cdf[2][16][VISITS_MAX];
} besok_month;

/* Patient i's visits in month t: one stream per patient and month, so the
 * rows are the same whichever order they are written in. */
static void besok_patient_month(uf_out *o, const gen *g, const besok_month *bm, uf_month m,
                                long k, long i)
{
    uf_rng r = {g->key_visit ^ ((uint64_t)i << 16) ^ (uint64_t)m};
    patient p;
    if (!patient_at(g, k, i, m, &p))
        return;
    int n = poisson_draw(bm->cdf[p.sabo][p.cls], uf_rng_unit(&r));
    for (int v = 0; v < n; v++)
        visit_row(o, g, i, &p, &r, bm->md.first + month_days_pick(&bm->md, &r));
}

static int write_besok(gen *g, uf_error *err)
{
    uf_out o;
    if (file_open(&o, g, F_BESOK, "patient_id;enhet_id;vardgivare_id;yrke;besoksdatum;besokstyp",
                  err))
        return -1;
    int months = g->o->months;
    uf_month m0 = g->o->period - (months - 1);
    double scale = (g->o->visit_percent ? g->o->visit_percent : 100) / 100.0;
    besok_month *bm = uf_xmalloc((size_t)months * sizeof *bm);
    for (int t = 0; t < months; t++) {
        month_days_init(&bm[t].md, m0 + t, 0.03, 0.015);
        for (int s = 0; s < 2; s++)
            for (int c = 0; c < 16; c++)
                poisson_cdf(visit_rate[c] * scale * season[uf_month_number(m0 + t) - 1] *
                                (s ? 3 : 1),
                            bm[t].cdf[s][c]);
    }
    if (g->o->by_patient) {
        for (long k = 0; k < g->nunits; k++) {
            uf_progress("besok.csv: enhet %ld av %ld", k + 1, g->nunits);
            for (long i = g->units[k].first; i < g->units[k].first + g->units[k].count; i++)
                for (int t = 0; t < months; t++)
                    besok_patient_month(&o, g, &bm[t], m0 + t, k, i);
        }
    } else {
        for (int t = 0; t < months; t++) {
            uf_progress("besok.csv: månad %d av %d", t + 1, months);
            for (long k = 0; k < g->nunits; k++)
                for (long i = g->units[k].first; i < g->units[k].first + g->units[k].count; i++)
                    besok_patient_month(&o, g, &bm[t], m0 + t, k, i);
        }
    }
    free(bm);
    return file_close(&o, g, F_BESOK, err);
}

/* ------------------------------------------------------------------- setup */

static int make_dirs(const char *path, uf_error *err)
{
    char *p = uf_xstrdup(path);
    int rc = 0;
    for (char *s = p + 1;; s++) {
        if (*s != '/' && *s)
            continue;
        char c = *s;
        *s = 0;
        struct stat st;
        if (mkdir(p, 0755) && (errno != EEXIST || stat(p, &st) || !S_ISDIR(st.st_mode))) {
            uf_error_set(err, UF_ERR_IO, p, 0, 0, NULL, "kunde inte skapa mappen: %s",
                         uf_strerrno(errno ? errno : ENOTDIR));
            rc = -1;
            break;
        }
        if (!(*s = c))
            break;
    }
    free(p);
    return rc;
}

static void gen_init(gen *g, const uf_gen_opts *o)
{
    memset(g, 0, sizeof *g);
    g->o = o;
    g->nunits = o->units;
    g->key_patient = uf_rng_key(o->seed, KEY_PATIENT);
    g->key_pseudonym = uf_rng_key(o->seed, KEY_PSEUDONYM);
    g->key_visit = uf_rng_key(o->seed, KEY_VISIT);
    g->key_contact = uf_rng_key(o->seed, KEY_CONTACT);
    g->key_call = uf_rng_key(o->seed, KEY_CALL);
    g->key_aggregat = uf_rng_key(o->seed, KEY_AGGREGAT);
    g->key_life = uf_rng_key(o->seed, KEY_LIFE);
    g->key_guarantee = uf_rng_key(o->seed, KEY_GUARANTEE);
    g->first13 = o->period - 12;
    uf_month first = o->period - (o->months - 1) < g->first13 ? o->period - (o->months - 1)
                                                                : g->first13;
    /* Room for assessments dated before their contact and after the period. */
    g->day0 = uf_day_make(uf_month_year(first), uf_month_number(first), 1) - 7;
    uf_month after = o->period + 1;
    g->ndays = uf_day_make(uf_month_year(after), uf_month_number(after), 1) + 60 - g->day0;
    g->dates = uf_xmalloc((size_t)g->ndays * sizeof *g->dates);
    for (long i = 0; i < g->ndays; i++) {
        char s[11];
        uf_day_format(g->day0 + (uf_day)i, s);
        memcpy(g->dates[i], s, 10);
    }
    units_build(g);
}

static void gen_free(gen *g)
{
    for (long k = 0; k < g->nunits; k++) {
        free(g->units[k].id);
        free(g->units[k].name);
    }
    free(g->units);
    free(g->dates);
}

typedef struct {
    gen *g;
    int rc;
    uf_error err;
} besok_job;

static void *besok_run(void *arg)
{
    besok_job *j = arg;
    j->rc = write_besok(j->g, &j->err);
    return NULL;
}

int uf_generate(const uf_gen_opts *o, uf_error *err)
{
    if (o->units < 1 || o->patients < 0 || o->months < 1 || o->months > 4096 ||
        uf_month_year(o->period - o->months) < 1) {
        uf_error_set(err, UF_ERR_USAGE, "generate", 0, 0, NULL,
                     "väntade minst 1 enhet, 0 eller fler patienter och 1-4096 månader");
        return -1;
    }
    if (make_dirs(o->out_dir, err))
        return -1;
    gen g;
    gen_init(&g, o);
    besok_job job = {.g = &g};
    pthread_t thread;
    int threaded = uf_cleanup_thread(&thread, besok_run, &job) == 0;
    if (!threaded)
        besok_run(&job);
    int rc = write_enheter(&g, err) || write_listning(&g, err) || write_kontakter(&g, err) ||
                     write_samtal(&g, err) || write_aggregat(&g, err) || write_lakare(&g, err)
                 ? -1
                 : 0;
    if (threaded)
        pthread_join(thread, NULL);
    if (!rc && job.rc) {
        *err = job.err;
        rc = -1;
    }
    uf_progress_done();
    if (!rc)
        uf_log("genererade %s: enheter.csv %ld rader, listning.csv %ld, kontakter.csv %ld, "
               "samtal.csv %ld, besok.csv %ld, aggregat.csv %ld, lakare.csv %ld",
               o->out_dir, g.rows[F_ENHETER], g.rows[F_LISTNING], g.rows[F_KONTAKTER],
               g.rows[F_SAMTAL], g.rows[F_BESOK], g.rows[F_AGGREGAT], g.rows[F_LAKARE]);
    gen_free(&g);
    return rc;
}
