# Rate-limit windows are fixed and aligned to the epoch; a test that counts hits sets its window to a
# year, so a boundary (which would reset the counts half-way) falls in it about once in 10^6 runs of a
# 30-second test, and nothing waits on the clock.
LONG_WINDOW = 365 * 24 * 3600
