#!/usr/bin/env python3
"""Publisher for sub_memory.sh (paho-mqtt, MQTT 3.1.1, QoS 0).

    flood.py PORT big COUNT BYTES      COUNT messages of BYTES each on big/x
    flood.py PORT topics COUNT BYTES   COUNT retained messages on COUNT distinct topics
"""

import sys
import time

import paho.mqtt.client as mqtt

port, mode, count, size = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
c = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id="flood", protocol=mqtt.MQTTv311)
c.max_queued_messages_set(0)
c.connect("127.0.0.1", port, 60)
c.loop_start()
payload = b"x" * size
if mode == "big":
    infos = [c.publish("big/x", payload, qos=0) for _ in range(count)]
else:
    infos = [c.publish(f"fleet/dev{i // 100}/sensor{i % 100}", payload, qos=0, retain=True) for i in range(count)]
for info in infos:
    info.wait_for_publish(timeout=120)
time.sleep(1)
c.disconnect()
c.loop_stop()
