/* ingest/retry.c — the clock and the waits of a source that retries (http,
 * odbc): exponential backoff with jitter, so that clients that failed
 * together do not all come back at the same moment. */
#include "ingest/sources.h"

#include <errno.h>
#include <time.h>
#include <unistd.h>

long long uf_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void uf_sleep_ms(long long ms)
{
    struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
        ;
}

long long uf_backoff_ms(long long base_ms, int attempt)
{
    /* Jitter need not be unpredictable, only differ between clients that
     * failed together, so a clock-seeded xorshift will do. */
    static uint64_t s;
    if (!s)
        s = (((uint64_t)uf_now_ms() * 0x9E3779B97F4A7C15ull) ^ (uint64_t)getpid()) | 1;
    s ^= s << 13, s ^= s >> 7, s ^= s << 17;
    long long ms = base_ms << (attempt - 1 < 20 ? attempt - 1 : 20);
    return ms / 2 + (long long)(s % (uint64_t)(ms / 2 + 1)); /* 50..100 % */
}
