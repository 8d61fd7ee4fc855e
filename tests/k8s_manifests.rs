//! The Kubernetes recipe in `deploy/k8s`: the manifests parse and fit together (an Indexed
//! Job whose shard is the pod's completion index, one ConfigMap of parameters, one
//! ReadWriteMany claim shared with the merge Job), and their exact container command lines,
//! run here once per index with Kubernetes' `$(VAR)` expansion and the claim's mount path
//! pointing at a temporary folder, merge to the unsharded run's scorecard. Only the run's
//! size (`PMMSIM_PATHS`, `PMMSIM_EPOCHS` in the ConfigMap) is made small for the test.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::{pmmsim_path, repo_path, run_json, without_run_info};
use yaml_rust2::{Yaml, YamlLoader};

/// The annotation Kubernetes sets to a pod's completion index in an Indexed Job.
const INDEX_FIELD: &str = "metadata.annotations['batch.kubernetes.io/job-completion-index']";

/// The run size the test uses instead of the ConfigMap's.
const TEST_PATHS: &str = "1000";
const TEST_EPOCHS: &str = "20";

fn load(file: &str) -> Vec<Yaml> {
    let path = repo_path(&format!("deploy/k8s/{file}"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{file}: {e}"));
    YamlLoader::load_from_str(&text).unwrap_or_else(|e| panic!("{file}: {e}"))
}

fn text<'a>(node: &'a Yaml, what: &str) -> &'a str {
    node.as_str()
        .unwrap_or_else(|| panic!("{what}: expected a string, got {node:?}"))
}

fn list<'a>(node: &'a Yaml, what: &str) -> &'a [Yaml] {
    node.as_vec()
        .unwrap_or_else(|| panic!("{what}: expected a list, got {node:?}"))
}

/// The one object of `kind` named `name` in `docs`.
fn object<'a>(docs: &'a [Yaml], kind: &str, name: &str) -> &'a Yaml {
    let found: Vec<&Yaml> = docs
        .iter()
        .filter(|d| {
            d["kind"].as_str() == Some(kind) && d["metadata"]["name"].as_str() == Some(name)
        })
        .collect();
    assert_eq!(found.len(), 1, "one {kind} named {name}");
    found[0]
}

/// Kubernetes' expansion of `$(VAR)` in a container's command and args: a reference to a
/// variable of the container's environment becomes its value, `$$` is a literal `$`, and
/// anything else (an undefined variable included) stays as written.
fn expand(arg: &str, env: &BTreeMap<String, String>) -> String {
    let mut out = String::new();
    let mut rest = arg;
    while let Some(at) = rest.find('$') {
        out.push_str(&rest[..at]);
        let tail = &rest[at + 1..];
        if let Some(after) = tail.strip_prefix('$') {
            out.push('$');
            rest = after;
        } else if let Some(close) = tail.strip_prefix('(').and_then(|t| t.find(')')) {
            let name = &tail[1..=close];
            match env.get(name) {
                Some(value) => out.push_str(value),
                None => out.push_str(&format!("$({name})")),
            }
            rest = &tail[close + 2..];
        } else {
            out.push('$');
            rest = tail;
        }
    }
    out.push_str(rest);
    out
}

/// A Job's only container, with what the test needs of its pod.
struct Container<'a> {
    job: &'a str,
    spec: &'a Yaml,
    pod: &'a Yaml,
}

impl<'a> Container<'a> {
    fn of(job: &'a Yaml) -> Self {
        let name = text(&job["metadata"]["name"], "Job name");
        let pod = &job["spec"]["template"]["spec"];
        let containers = list(&pod["containers"], "containers");
        assert_eq!(containers.len(), 1, "{name}: one container");
        assert_eq!(
            pod["restartPolicy"].as_str(),
            Some("Never"),
            "{name}: a failed pod is retried by the Job, not restarted in place"
        );
        Container {
            job: name,
            spec: &containers[0],
            pod,
        }
    }

    /// `command` and `args` as written.
    fn argv(&self) -> Vec<&'a str> {
        let mut argv: Vec<&str> = list(&self.spec["command"], "command")
            .iter()
            .map(|a| text(a, "command"))
            .collect();
        if !self.spec["args"].is_badvalue() {
            argv.extend(
                list(&self.spec["args"], "args")
                    .iter()
                    .map(|a| text(a, "args")),
            );
        }
        argv
    }

    /// The ConfigMap the container's environment comes from.
    fn config_map(&self) -> &'a str {
        let from = list(&self.spec["envFrom"], "envFrom");
        assert_eq!(from.len(), 1, "{}: one envFrom", self.job);
        text(&from[0]["configMapRef"]["name"], "configMapRef")
    }

    /// The container's environment: the ConfigMap's data, then its own `env` entries, where
    /// the completion index field reads as `index`.
    fn env(&self, data: &BTreeMap<String, String>, index: Option<u64>) -> BTreeMap<String, String> {
        let mut env = data.clone();
        if let Some(entries) = self.spec["env"].as_vec() {
            for entry in entries {
                let name = text(&entry["name"], "env name").to_string();
                let value = if let Some(value) = entry["value"].as_str() {
                    value.to_string()
                } else {
                    let field = text(&entry["valueFrom"]["fieldRef"]["fieldPath"], "fieldPath");
                    assert_eq!(field, INDEX_FIELD, "{}: {name}", self.job);
                    index
                        .unwrap_or_else(|| panic!("{}: {name} needs an Indexed Job", self.job))
                        .to_string()
                };
                env.insert(name, value);
            }
        }
        env
    }

    /// The mount path of the claim, checking the pod mounts `claim` there.
    fn claim_mount(&self, claim: &str) -> &'a str {
        let mounts = list(&self.spec["volumeMounts"], "volumeMounts");
        assert_eq!(mounts.len(), 1, "{}: one volume mount", self.job);
        let volume = text(&mounts[0]["name"], "volumeMounts name");
        let volumes = list(&self.pod["volumes"], "volumes");
        let source = volumes
            .iter()
            .find(|v| v["name"].as_str() == Some(volume))
            .unwrap_or_else(|| panic!("{}: no volume {volume}", self.job));
        assert_eq!(
            source["persistentVolumeClaim"]["claimName"].as_str(),
            Some(claim),
            "{}: the volume is the shared claim",
            self.job
        );
        text(&mounts[0]["mountPath"], "mountPath")
    }

    /// Runs the container's command line here: `$(VAR)` expanded from `env`, the mount path
    /// replaced by `dir`, and `pmmsim` found first on PATH in the folder of the binary the
    /// tests built.
    fn run(&self, env: &BTreeMap<String, String>, mount: &str, dir: &Path) -> Output {
        let local = dir.to_str().expect("UTF-8 temp path");
        let argv: Vec<String> = self
            .argv()
            .iter()
            .map(|a| {
                let arg = expand(a, env);
                assert!(
                    !arg.contains("$("),
                    "{}: `{a}` refers to an undefined variable",
                    self.job
                );
                arg.replace(&format!("{mount}/"), &format!("{local}/"))
            })
            .collect();
        let bin_dir = pmmsim_path().parent().expect("binary folder");
        let path = std::env::join_paths(std::iter::once(bin_dir.to_path_buf()).chain(
            std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()),
        ))
        .expect("PATH");
        Command::new(&argv[0])
            .args(&argv[1..])
            .env_clear()
            .envs(env)
            .env("PATH", path)
            .output()
            .unwrap_or_else(|e| panic!("{}: cannot start `{}`: {e}", self.job, argv.join(" ")))
    }
}

fn succeeded(job: &str, output: Output) {
    assert!(
        output.status.success(),
        "{job} failed ({:?}): {}",
        output.status.code(),
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn indexed_job_shards_merge_to_the_unsharded_run() {
    let config = load("run-config.yaml");
    let shards_docs = load("shards-job.yaml");
    let merge_docs = load("merge-job.yaml");
    let rerun_docs = load("shard-rerun-job.yaml");

    // The parameters, and the claim every job shares.
    let map = object(&config, "ConfigMap", "pmmsim-run");
    let mut data: BTreeMap<String, String> = map["data"]
        .as_hash()
        .expect("ConfigMap data")
        .iter()
        .map(|(k, v)| {
            (
                text(k, "data key").to_string(),
                text(v, "data value").to_string(),
            )
        })
        .collect();
    let claim_doc = object(&config, "PersistentVolumeClaim", "pmmsim-run");
    let claim = text(&claim_doc["metadata"]["name"], "claim name");
    let modes: Vec<&str> = list(&claim_doc["spec"]["accessModes"], "accessModes")
        .iter()
        .map(|m| text(m, "access mode"))
        .collect();
    assert!(
        modes.contains(&"ReadWriteMany"),
        "pods on several nodes write the claim: {modes:?}"
    );

    // The Indexed Job: one pod per shard.
    let shards_job = object(&shards_docs, "Job", "pmmsim-shards");
    assert_eq!(
        shards_job["spec"]["completionMode"].as_str(),
        Some("Indexed")
    );
    let completions = shards_job["spec"]["completions"]
        .as_i64()
        .expect("completions");
    let shard_count: i64 = data["PMMSIM_SHARDS"].parse().expect("PMMSIM_SHARDS");
    assert_eq!(
        completions, shard_count,
        "completions must equal PMMSIM_SHARDS"
    );
    let shard = Container::of(shards_job);
    let merge = Container::of(object(&merge_docs, "Job", "pmmsim-merge"));
    let rerun = Container::of(object(&rerun_docs, "Job", "pmmsim-shard-rerun"));
    assert_eq!(
        rerun.argv(),
        shard.argv(),
        "the rerun Job runs the Indexed Job's command"
    );
    for c in [&shard, &merge, &rerun] {
        assert_eq!(c.config_map(), "pmmsim-run", "{}", c.job);
    }
    let mount = shard.claim_mount(claim);
    assert_eq!(merge.claim_mount(claim), mount);
    assert_eq!(rerun.claim_mount(claim), mount);

    // A small run in place of the ConfigMap's size.
    data.insert("PMMSIM_PATHS".into(), TEST_PATHS.into());
    data.insert("PMMSIM_EPOCHS".into(), TEST_EPOCHS.into());

    let dir = tempfile::tempdir().expect("tempdir");
    for index in 0..completions as u64 {
        succeeded(
            &format!("shard {index}"),
            shard.run(&shard.env(&data, Some(index)), mount, dir.path()),
        );
    }
    let parts = std::fs::read_dir(dir.path()).expect("read dir").count() as i64;
    assert_eq!(parts, completions, "one part per index");

    // A lost part: the merge fails and names it; the rerun Job writes it again.
    let rerun_env = rerun.env(&data, None);
    let lost: PathBuf = dir
        .path()
        .join(format!("part-{}.json", rerun_env["JOB_COMPLETION_INDEX"]));
    std::fs::remove_file(&lost).expect("remove a part");
    let failed = merge.run(&merge.env(&data, None), mount, dir.path());
    assert_eq!(
        failed.status.code(),
        Some(2),
        "merge refuses a missing shard"
    );
    let message = String::from_utf8_lossy(&failed.stderr);
    let missing = format!("missing shard {}", rerun_env["JOB_COMPLETION_INDEX"]);
    assert!(message.contains(&missing), "{message}");
    assert!(!dir.path().join("scorecard.json").exists());
    succeeded("the rerun", rerun.run(&rerun_env, mount, dir.path()));
    assert!(lost.exists(), "the rerun wrote {}", lost.display());

    succeeded(
        "merge",
        merge.run(&merge.env(&data, None), mount, dir.path()),
    );
    let card = std::fs::read_to_string(dir.path().join("scorecard.json")).expect("scorecard");
    let merged = without_run_info(serde_json::from_str(&card).expect("JSON scorecard"));
    let full = without_run_info(run_json([
        "run",
        &data["PMMSIM_SCENARIO"],
        "--paths",
        TEST_PATHS,
        "--epochs",
        TEST_EPOCHS,
        "--seed",
        &data["PMMSIM_SEED"],
        "--quiet",
        "--format",
        "json",
    ]));
    assert_eq!(
        serde_json::to_string(&merged).expect("json"),
        serde_json::to_string(&full).expect("json"),
        "the merged scorecard is the unsharded run's"
    );
}

#[test]
fn expansion_follows_kubernetes() {
    let env: BTreeMap<String, String> = [("A", "1"), ("B", "two")]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    assert_eq!(expand("$(A)/$(B)", &env), "1/two");
    assert_eq!(expand("part-$(A).json", &env), "part-1.json");
    assert_eq!(expand("$$(A)", &env), "$(A)");
    assert_eq!(expand("$(C)", &env), "$(C)");
    assert_eq!(expand("a$b$", &env), "a$b$");
    assert_eq!(expand("$(A", &env), "$(A");
}
