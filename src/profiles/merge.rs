//! Three-way merge of the profile list, for when another Topicscope process (a second
//! window on the same config directory) saved `profiles.ron` after this one loaded it.
//!
//! Profiles are matched by name. Each side's change is measured against the list both
//! started from (the base): what only the other writer changed is taken from it, what
//! only this process changed is kept, and when both changed the same profile
//! differently, this process's version keeps the name and the other one is kept too,
//! renamed, so nothing is ever lost. Every decision that touches the other writer's work
//! is described in a notice for the person.

use super::profile::Profile;

/// The merged list and what the person should be told about it.
#[derive(Debug, Clone, PartialEq)]
pub struct Merged {
    /// The profiles to save, in display order.
    pub profiles: Vec<Profile>,
    /// The profile used last after the merge.
    pub last_used: Option<String>,
    /// One sentence per change from the other writer that was merged or set aside.
    pub notices: Vec<String>,
}

/// One side of the merge: its profiles and last-used name.
#[derive(Debug, Clone, Copy)]
pub struct Side<'a> {
    /// The profiles, in display order.
    pub profiles: &'a [Profile],
    /// The profile used last.
    pub last_used: Option<&'a str>,
}

fn find<'a>(list: &'a [Profile], name: &str) -> Option<&'a Profile> {
    list.iter().find(|p| p.name == name)
}

/// Merges `ours` and `theirs`, both descended from `base`.
pub fn merge(base: Side<'_>, ours: Side<'_>, theirs: Side<'_>) -> Merged {
    let mut profiles: Vec<Profile> = Vec::new();
    let mut notices = Vec::new();
    let mut set_aside: Vec<Profile> = Vec::new();

    // Our order first, then what only the other writer has, in its order.
    let mut names: Vec<&str> = ours.profiles.iter().map(|p| p.name.as_str()).collect();
    for p in theirs.profiles {
        if !names.contains(&p.name.as_str()) {
            names.push(&p.name);
        }
    }
    for p in base.profiles {
        if !names.contains(&p.name.as_str()) {
            names.push(&p.name);
        }
    }

    for name in names {
        let (b, o, t) = (
            find(base.profiles, name),
            find(ours.profiles, name),
            find(theirs.profiles, name),
        );
        let ours_changed = o != b;
        let theirs_changed = t != b;
        match (ours_changed, theirs_changed) {
            (false, false) | (true, false) => profiles.extend(o.cloned()),
            (false, true) => {
                match (b, t) {
                    (None, Some(_)) => notices.push(crate::tr!("worker-merge-added", name = name)),
                    (Some(_), Some(_)) => notices.push(crate::tr!("worker-merge-changed", name = name)),
                    (_, None) => notices.push(crate::tr!("worker-merge-deleted", name = name)),
                }
                profiles.extend(t.cloned());
            }
            (true, true) if o == t => profiles.extend(o.cloned()),
            (true, true) => match (o, t) {
                // We deleted it, they changed it: their work wins over a deletion.
                (None, Some(theirs_version)) => {
                    notices.push(crate::tr!("worker-merge-deleted-here", name = name));
                    profiles.push(theirs_version.clone());
                }
                (Some(ours_version), Some(theirs_version)) => {
                    profiles.push(ours_version.clone());
                    set_aside.push(theirs_version.clone());
                }
                // They deleted what we changed (or both deleted): keep ours, if any.
                (Some(ours_version), None) => {
                    notices.push(crate::tr!("worker-merge-deleted-there", name = name));
                    profiles.push(ours_version.clone());
                }
                (None, None) => {}
            },
        }
    }

    // Both changed the same profile: ours keeps the name, theirs is kept beside it.
    for mut theirs_version in set_aside {
        let original = theirs_version.name.clone();
        let new_name = (1..)
            .map(|n| match n {
                1 => crate::tr!("worker-merge-other-name", name = original.as_str()),
                n => crate::tr!("worker-merge-other-name-n", name = original.as_str(), n = n),
            })
            .find(|candidate| find(&profiles, candidate).is_none())
            .unwrap_or_else(|| original.clone());
        notices.push(crate::tr!(
            "worker-merge-both-changed",
            name = original.as_str(),
            new_name = new_name.as_str()
        ));
        theirs_version.name = new_name;
        profiles.push(theirs_version);
    }

    let last_used = if ours.last_used != base.last_used {
        ours.last_used
    } else {
        theirs.last_used
    }
    .filter(|name| find(&profiles, name).is_some())
    .map(str::to_owned);
    Merged {
        profiles,
        last_used,
        notices,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(name: &str, url: &str) -> Profile {
        let mut profile = Profile::new(name, url);
        profile.client_id = format!("id-{name}");
        profile
    }

    fn side<'a>(profiles: &'a [Profile], last_used: Option<&'a str>) -> Side<'a> {
        Side { profiles, last_used }
    }

    fn names(m: &Merged) -> Vec<&str> {
        m.profiles.iter().map(|p| p.name.as_str()).collect()
    }

    #[test]
    fn each_side_keeps_what_only_it_added() {
        let base = [p("A", "a")];
        let ours = [p("A", "a"), p("Ours", "o")];
        let theirs = [p("A", "a"), p("Theirs", "t")];
        let m = merge(side(&base, None), side(&ours, Some("Ours")), side(&theirs, None));
        assert_eq!(names(&m), ["A", "Ours", "Theirs"]);
        assert_eq!(m.last_used.as_deref(), Some("Ours"));
        assert_eq!(m.notices, ["'Theirs' was added by another Topicscope window."]);
    }

    #[test]
    fn their_edit_and_deletion_are_taken_when_we_did_not_touch_the_profile() {
        let base = [p("A", "a"), p("B", "b")];
        let ours = base.clone();
        let theirs = [p("A", "a2")];
        let m = merge(side(&base, Some("B")), side(&ours, Some("B")), side(&theirs, None));
        assert_eq!(m.profiles, [p("A", "a2")]);
        assert_eq!(m.last_used, None);
        assert_eq!(m.notices.len(), 2, "{:?}", m.notices);
    }

    #[test]
    fn both_edits_of_one_profile_are_kept_under_two_names() {
        let base = [p("A", "a")];
        let ours = [p("A", "ours")];
        let theirs = [p("A", "theirs")];
        let m = merge(side(&base, None), side(&ours, None), side(&theirs, None));
        assert_eq!(names(&m), ["A", "A (other window)"]);
        assert_eq!(m.profiles[0].broker_url, "ours");
        assert_eq!(m.profiles[1].broker_url, "theirs");
        assert!(m.notices[0].contains("kept as 'A (other window)'"), "{:?}", m.notices);
    }

    #[test]
    fn a_deletion_never_wins_over_an_edit() {
        let base = [p("A", "a"), p("B", "b")];
        let ours = [p("B", "b2")];
        let theirs = [p("A", "a2")];
        let m = merge(side(&base, None), side(&ours, None), side(&theirs, None));
        assert_eq!(m.profiles, [p("B", "b2"), p("A", "a2")]);
        assert_eq!(m.notices.len(), 2, "{:?}", m.notices);
    }

    #[test]
    fn our_own_deletion_of_an_untouched_profile_stands() {
        let base = [p("A", "a"), p("B", "b")];
        let ours = [p("A", "a")];
        let theirs = base.clone();
        let m = merge(side(&base, None), side(&ours, None), side(&theirs, None));
        assert_eq!(names(&m), ["A"]);
        assert!(m.notices.is_empty());
    }
}
