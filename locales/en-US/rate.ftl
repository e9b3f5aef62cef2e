## Rates: messages per second now (src/model/rate.rs and where it is shown)
rate-sort = current rate
rate-per-sec = { $rate }/s
rate-insp = Rate
rate-insp-value = { $msgs } · { $bytes }/s
