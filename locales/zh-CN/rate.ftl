## 速率：当前每秒消息数
rate-sort = 当前速率
rate-per-sec = { $rate } 条/秒
rate-insp = 速率
rate-insp-value = { $msgs } · { $bytes }/秒
