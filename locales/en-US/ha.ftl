## The Discovery pane: Home Assistant MQTT discovery configs (src/ui/panes/discovery*.rs,
## src/model/ha_browser.rs)
ha-pane = Discovery
ha-count = { $devices ->
    [one] 1 device
   *[other] { $devices } devices
}, { $entities ->
    [one] 1 entity
   *[other] { $entities } entities
}, { $orphaned } orphaned
ha-filter = Filter configs
ha-filter-hint = name, topic, unique id
ha-offline-after = Orphaned when offline for longer than
ha-hours-suffix = { " " }h
ha-only-orphans = Only orphans
ha-refresh = Refresh
ha-delete-all = Delete all orphans…
ha-delete-all-title = all orphans
ha-none = No discovery configs under { $prefix }/ in the topic tree (subscribe to { $prefix }/# to read them).
ha-none-match = No config matches the filter.
ha-topic-not-in-tree = { $topic } is not in the topic tree.
ha-orphan-nothing-seen = orphaned: nothing ever seen on its state or availability topics
ha-orphan-offline = orphaned: offline for { $time }
ha-broken = { $n ->
    [one] 1 broken config
   *[other] { $n } broken configs
}
ha-broken-json = not valid JSON: { $reason }
ha-broken-not-object = not a JSON object (Home Assistant expects {"{"} … {"}"})
ha-select-hover = Select it in the tree
ha-delete = Delete…
ha-delete-device = Delete device…
ha-device-title = { $name } · { $n ->
    [one] 1 entity
   *[other] { $n } entities
}
ha-device-orphan = Device { $reason }
ha-topic-config = config
ha-topic-state = state
ha-topic-command = command
ha-topic-availability = availability
ha-delete-title = Delete { $what }?
ha-delete-explain = { $n ->
    [one] An empty retained message will be published on this config topic; Home Assistant then removes what it created:
   *[other] An empty retained message will be published on each of these { $n } config topics; Home Assistant then removes what they created:
}
ha-delete-offline = Not connected: deleting needs the connection to the broker.
ha-delete-do = { $n ->
    [one] Delete 1 config
   *[other] Delete { $n } configs
}
ha-delete-failed = Could not delete { $topic }: { $reason }
ha-deleted = { $n ->
    [one] Cleared 1 discovery config.
   *[other] Cleared { $n } discovery configs.
}
