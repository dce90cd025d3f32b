/* core/calendar.c — civil calendar arithmetic (days from civil after Howard
 * Hinnant's algorithm).  No time zones: extracts carry local dates. */
#include "core/core.h"

#include <stdio.h>
#include <string.h>

uf_day uf_day_make(int y, int m, int d)
{
    y -= m <= 2;
    int era = (y >= 0 ? y : y - 399) / 400;
    int yoe = y - era * 400;
    int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

void uf_day_split(uf_day z, int *year, int *month, int *day)
{
    z += 719468;
    int era = (z >= 0 ? z : z - 146096) / 146097;
    int doe = z - era * 146097;
    int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int mp = (5 * doy + 2) / 153;
    int d = doy - (153 * mp + 2) / 5 + 1;
    int m = mp < 10 ? mp + 3 : mp - 9;
    *year = yoe + era * 400 + (m <= 2);
    *month = m;
    *day = d;
}

int uf_days_in_month(int year, int month)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return month == 2 ? 28 + leap : days[month - 1];
}

int uf_day_valid(int year, int month, int day)
{
    return year >= 1 && year <= 9999 && month >= 1 && month <= 12 && day >= 1 &&
           day <= uf_days_in_month(year, month);
}

int uf_weekday(uf_day d)
{
    /* 1970-01-01 was a Thursday (3 when Monday is 0). */
    int w = (d + 3) % 7;
    return w < 0 ? w + 7 : w;
}

uf_month uf_month_make(int year, int month) { return year * 12 + (month - 1); }

uf_month uf_month_of(uf_day d)
{
    int y, m, dd;
    uf_day_split(d, &y, &m, &dd);
    return uf_month_make(y, m);
}

int uf_month_year(uf_month m) { return m / 12; }
int uf_month_number(uf_month m) { return m % 12 + 1; }

int uf_month_parse(const char *s, uf_month *out)
{
    if (!s || strlen(s) != 7 || s[4] != '-')
        return -1;
    for (int i = 0; i < 7; i++)
        if (i != 4 && (s[i] < '0' || s[i] > '9'))
            return -1;
    int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    int m = (s[5] - '0') * 10 + (s[6] - '0');
    if (y < 1 || m < 1 || m > 12)
        return -1;
    *out = uf_month_make(y, m);
    return 0;
}

void uf_month_format(uf_month m, char out[8])
{
    snprintf(out, 8, "%04u-%02u", (unsigned)uf_month_year(m) % 10000u,
             (unsigned)uf_month_number(m) % 100u);
}

void uf_day_format(uf_day d, char out[11])
{
    int y, m, dd;
    uf_day_split(d, &y, &m, &dd);
    snprintf(out, 11, "%04u-%02u-%02u", (unsigned)y % 10000u, (unsigned)m % 100u,
             (unsigned)dd % 100u);
}

const char *uf_month_name_sv(int month)
{
    static const char *const names[] = {"januari", "februari", "mars",      "april",
                                        "maj",     "juni",     "juli",      "augusti",
                                        "september", "oktober", "november", "december"};
    return month >= 1 && month <= 12 ? names[month - 1] : "?";
}

int uf_tertial(uf_month m) { return (uf_month_number(m) - 1) / 4 + 1; }

uf_month uf_tertial_first(uf_month m) { return m - (uf_month_number(m) - 1) % 4; }
