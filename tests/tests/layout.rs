//! The workspace's shape, as the learner relies on it: no step can reach a
//! model answer through its dependencies, dev-dependencies included, so the
//! answer is never one `use` (or one auto-import) away.

use std::collections::{HashMap, HashSet};

mod common;

/// `cargo metadata`: every package and, for each, the packages it depends on
/// (normal, dev and build dependencies alike).
fn dependency_graph() -> (HashMap<String, String>, HashMap<String, Vec<String>>) {
    let metadata = common::cargo_metadata();
    let names = metadata["packages"]
        .as_array()
        .expect("packages")
        .iter()
        .map(|p| {
            (
                p["id"].as_str().unwrap().to_string(),
                p["name"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let edges = metadata["resolve"]["nodes"]
        .as_array()
        .expect("resolve nodes")
        .iter()
        .map(|node| {
            let deps = node["deps"]
                .as_array()
                .expect("deps")
                .iter()
                .map(|dep| dep["pkg"].as_str().unwrap().to_string())
                .collect();
            (node["id"].as_str().unwrap().to_string(), deps)
        })
        .collect();
    (names, edges)
}

#[test]
fn no_step_depends_on_a_solution() {
    let (names, edges) = dependency_graph();
    let steps = names.iter().filter(|(_, name)| name.starts_with("step-"));
    let mut checked = 0;
    for (step_id, step) in steps {
        let mut seen = HashSet::new();
        let mut todo = vec![step_id.clone()];
        while let Some(id) = todo.pop() {
            if !seen.insert(id.clone()) {
                continue;
            }
            let name = &names[&id];
            assert!(
                !name.starts_with("solution-"),
                "{step} reaches the model answer {name} through its dependencies"
            );
            todo.extend(edges.get(&id).into_iter().flatten().cloned());
        }
        checked += 1;
    }
    assert_eq!(checked, 5, "the five steps are in the workspace");
}
