#!/usr/bin/python3
# tests/overprint.py BBOX.html — fails when a word is printed over another:
# the word boxes of pdftotext -bbox, pairwise per page, overlapping by more
# than a point across and a point and a half down (touching is not
# overprinting).  Prints the first few it finds, in Swedish.
import html, re, sys

page_re = re.compile(r"<page[^>]*>(.*?)</page>", re.S)
word_re = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>')
bad = 0
for pn, page in enumerate(page_re.findall(open(sys.argv[1], encoding="utf-8").read()), 1):
    words = [(float(a), float(b), float(c), float(d), html.unescape(w))
             for a, b, c, d, w in word_re.findall(page)]
    words.sort()
    for i, a in enumerate(words):
        for b in words[i + 1:]:
            if b[0] >= a[2] - 1.0:
                break  # sorted by left edge: no later word reaches back into a
            if min(a[2], b[2]) - max(a[0], b[0]) > 1.0 and min(a[3], b[3]) - max(a[1], b[1]) > 1.5:
                bad += 1
                if bad <= 10:
                    print("sida %d: %r skrivs över %r" % (pn, a[4], b[4]))
if bad:
    print("%d ord skrivs över andra" % bad)
sys.exit(1 if bad else 0)
