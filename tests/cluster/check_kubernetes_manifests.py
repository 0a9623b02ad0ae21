#!/usr/bin/env python3
"""Structural check of the GenStereo Kubernetes Job manifests, offline (python3-yaml only).

  check_kubernetes_manifests.py SHARD_JOB.yaml FOLLOW_JOB.yaml [SHARD_JOB.yaml FOLLOW_JOB.yaml ...]

Pairs: the batch Job and its batch-verify Job; the video Job and its join Job.

Debian 12 has no Kubernetes schema validator (kubeconform, kubeval, kubectl are not packaged),
so this checks what matters for these two Jobs against the batch/v1 Job API (Kubernetes 1.29)
by hand; docs/packaging.md says what is and is not covered. Exit 0 when all pass, 1 with one
line per problem, 77 (skipped) when python3-yaml is missing.
"""
import re
import sys

try:
    import yaml
except ImportError:
    print("SKIPPED: python3-yaml is not installed")
    sys.exit(77)

# Fields allowed in each object (batch/v1 Job, core/v1 PodSpec ...), as in the API reference:
# an unknown (e.g. misspelt or mis-indented) field is rejected by `kubectl apply`.
KNOWN_FIELDS = {
    "Job": {"apiVersion", "kind", "metadata", "spec"},
    "ObjectMeta": {"name", "namespace", "labels", "annotations", "generateName"},
    "JobSpec": {"activeDeadlineSeconds", "backoffLimit", "backoffLimitPerIndex", "completionMode",
                "completions", "manualSelector", "maxFailedIndexes", "parallelism",
                "podFailurePolicy", "podReplacementPolicy", "selector", "suspend", "template",
                "ttlSecondsAfterFinished"},
    "PodTemplateSpec": {"metadata", "spec"},
    "PodSpec": {"activeDeadlineSeconds", "affinity", "containers", "initContainers",
                "imagePullSecrets", "nodeSelector", "priorityClassName", "restartPolicy",
                "securityContext", "serviceAccountName", "terminationGracePeriodSeconds",
                "tolerations", "volumes"},
    "Container": {"args", "command", "env", "envFrom", "image", "imagePullPolicy", "name",
                  "resources", "securityContext", "volumeMounts", "workingDir"},
    "EnvVar": {"name", "value", "valueFrom"},
    "ResourceRequirements": {"limits", "requests", "claims"},
    "VolumeMount": {"mountPath", "name", "readOnly", "subPath", "subPathExpr", "mountPropagation"},
    "Volume": {"name", "persistentVolumeClaim", "emptyDir", "hostPath", "configMap", "secret",
               "nfs"},
}
DNS_LABEL = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
ENV_NAME = re.compile(r"^[-._a-zA-Z][-._a-zA-Z0-9]*$")
QUANTITY = re.compile(r"^[0-9]+(\.[0-9]+)?(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$")


class Checker:
    def __init__(self, path):
        self.path = path
        self.problems = []

    def problem(self, where, message):
        self.problems.append("%s: %s: %s" % (self.path, where, message))

    def mapping(self, value, kind, where, required=()):
        if not isinstance(value, dict):
            self.problem(where, "expected a mapping (%s), found %r" % (kind, value))
            return {}
        for key in value:
            if key not in KNOWN_FIELDS[kind]:
                self.problem(where, "unknown field '%s' in %s" % (key, kind))
        for key in required:
            if key not in value:
                self.problem(where, "missing required field '%s'" % key)
        return value

    def integer(self, spec, key, where, minimum):
        if key in spec and (not isinstance(spec[key], int) or isinstance(spec[key], bool)
                            or spec[key] < minimum):
            self.problem(where + "." + key, "expected an integer >= %d, found %r"
                         % (minimum, spec[key]))

    def string_list(self, value, where):
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.problem(where, "expected a list of strings, found %r" % (value,))

    def container(self, container, where, volume_names):
        container = self.mapping(container, "Container", where, ("name", "image"))
        if not DNS_LABEL.match(str(container.get("name", ""))):
            self.problem(where + ".name", "not a DNS-1123 label: %r" % container.get("name"))
        if not isinstance(container.get("image"), str) or not container.get("image"):
            self.problem(where + ".image", "expected an image reference")
        for key in ("command", "args"):
            if key in container:
                self.string_list(container[key], where + "." + key)
        env = {}
        for i, var in enumerate(container.get("env", [])):
            var = self.mapping(var, "EnvVar", "%s.env[%d]" % (where, i), ("name",))
            name = var.get("name", "")
            if not ENV_NAME.match(str(name)):
                self.problem("%s.env[%d].name" % (where, i), "invalid variable name %r" % name)
            if "value" in var and not isinstance(var["value"], str):
                self.problem("%s.env[%d].value" % (where, i),
                             "must be a string (quote it), found %r" % (var["value"],))
            if name in env:
                self.problem("%s.env[%d]" % (where, i), "variable %s set twice" % name)
            env[name] = var.get("value")
        resources = self.mapping(container.get("resources", {}), "ResourceRequirements",
                                 where + ".resources")
        for section in ("requests", "limits"):
            for resource, quantity in resources.get(section, {}).items():
                if not QUANTITY.match(str(quantity)):
                    self.problem("%s.resources.%s.%s" % (where, section, resource),
                                 "not a quantity: %r" % (quantity,))
        for i, mount in enumerate(container.get("volumeMounts", [])):
            mount = self.mapping(mount, "VolumeMount", "%s.volumeMounts[%d]" % (where, i),
                                 ("name", "mountPath"))
            if mount.get("name") not in volume_names:
                self.problem("%s.volumeMounts[%d]" % (where, i),
                             "volume %r is not declared in spec.volumes" % mount.get("name"))
            if not str(mount.get("mountPath", "")).startswith("/"):
                self.problem("%s.volumeMounts[%d].mountPath" % (where, i), "not an absolute path")
        return env

    def job(self, job):
        job = self.mapping(job, "Job", "Job", ("apiVersion", "kind", "metadata", "spec"))
        if job.get("apiVersion") != "batch/v1" or job.get("kind") != "Job":
            self.problem("Job", "expected apiVersion batch/v1, kind Job, found %s %s"
                         % (job.get("apiVersion"), job.get("kind")))
        meta = self.mapping(job.get("metadata", {}), "ObjectMeta", "metadata", ("name",))
        name = str(meta.get("name", ""))
        if not DNS_LABEL.match(name) or len(name) > 63:
            self.problem("metadata.name", "not a DNS-1123 label of <= 63 characters: %r" % name)
        spec = self.mapping(job.get("spec", {}), "JobSpec", "spec", ("template",))
        for key, minimum in (("completions", 1), ("parallelism", 0), ("backoffLimit", 0),
                             ("backoffLimitPerIndex", 0), ("maxFailedIndexes", 0),
                             ("activeDeadlineSeconds", 1), ("ttlSecondsAfterFinished", 0)):
            self.integer(spec, key, "spec", minimum)
        mode = spec.get("completionMode", "NonIndexed")
        if mode not in ("Indexed", "NonIndexed"):
            self.problem("spec.completionMode", "expected Indexed or NonIndexed, found %r" % mode)
        if mode == "Indexed" and "completions" not in spec:
            self.problem("spec", "completionMode Indexed needs completions")
        for key in ("backoffLimitPerIndex", "maxFailedIndexes"):
            if key in spec and mode != "Indexed":
                self.problem("spec." + key, "only valid with completionMode Indexed")
        if "maxFailedIndexes" in spec:
            if "backoffLimitPerIndex" not in spec:
                self.problem("spec.maxFailedIndexes", "needs backoffLimitPerIndex")
            if isinstance(spec.get("completions"), int) and isinstance(spec["maxFailedIndexes"], int) \
                    and spec["maxFailedIndexes"] > spec["completions"]:
                self.problem("spec.maxFailedIndexes", "larger than completions")
        template = self.mapping(spec.get("template", {}), "PodTemplateSpec", "spec.template",
                                ("spec",))
        if "metadata" in template:
            self.mapping(template["metadata"], "ObjectMeta", "spec.template.metadata")
        pod = self.mapping(template.get("spec", {}), "PodSpec", "spec.template.spec",
                           ("containers",))
        if pod.get("restartPolicy") not in ("Never", "OnFailure"):
            self.problem("spec.template.spec.restartPolicy",
                         "a Job needs Never or OnFailure, found %r" % pod.get("restartPolicy"))
        volume_names = set()
        for i, volume in enumerate(pod.get("volumes", [])):
            volume = self.mapping(volume, "Volume", "spec.template.spec.volumes[%d]" % i, ("name",))
            volume_names.add(volume.get("name"))
            claim = volume.get("persistentVolumeClaim")
            if claim is not None and not (isinstance(claim, dict) and claim.get("claimName")):
                self.problem("spec.template.spec.volumes[%d]" % i, "persistentVolumeClaim "
                             "needs claimName")
        containers = pod.get("containers", [])
        if not isinstance(containers, list) or not containers:
            self.problem("spec.template.spec.containers", "expected at least one container")
            containers = []
        envs = [self.container(c, "spec.template.spec.containers[%d]" % i, volume_names)
                for i, c in enumerate(containers)]
        return spec, envs, containers


def shards_argument(container):
    words = list(container.get("command", [])) + list(container.get("args", []))
    for i, word in enumerate(words[:-1]):
        if word == "--shards":
            return words[i + 1]
    return None


def script_of(container):
    return " ".join(container.get("command", []) + container.get("args", []))


def check_pair(paths, loaded, problems):
    """A sharded Job (Indexed) and the Job that follows it: batch-verify after `batch`, the join
    (the same `video` command without --shard) after `video`."""
    (spec, envs, containers), (_, follow_envs, follow_containers) = loaded
    shard_path, follow_path = paths
    completions = spec.get("completions")
    if spec.get("completionMode") != "Indexed":
        problems.append("%s: spec.completionMode: the sharded Job must be Indexed (one pod "
                        "per shard)" % shard_path)
    shard_count = envs[0].get("SHARD_COUNT")
    if shard_count != str(completions):
        problems.append("%s: env SHARD_COUNT=%r differs from spec.completions=%r"
                        % (shard_path, shard_count, completions))
    script = script_of(containers[0])
    command = "video" if "genstereo-cli video" in script else "batch"
    for needed in ("genstereo-cli " + command, "--shard", "${JOB_COMPLETION_INDEX}/${SHARD_COUNT}"):
        if needed not in script:
            problems.append("%s: the container does not run %r" % (shard_path, needed))
    if command == "batch":
        verify_shards = shards_argument(follow_containers[0])
        if verify_shards != str(completions):
            problems.append("%s: batch-verify --shards %r differs from the batch Job's "
                            "completions %r" % (follow_path, verify_shards, completions))
    else:
        join = script_of(follow_containers[0])
        if "genstereo-cli video" not in join or "--shard" in join:
            problems.append("%s: the join Job must run `genstereo-cli video` without --shard"
                            % follow_path)
        for name in ("VIDEO", "OUTDIR", "WORKDIR", "VIDEO_OPTIONS"):
            if envs[0].get(name) != follow_envs[0].get(name):
                problems.append("%s: env %s=%r differs from the shard Job's %r (the join must "
                                "name the same segments)" % (follow_path, name,
                                                            follow_envs[0].get(name),
                                                            envs[0].get(name)))
    claims = [{v.get("persistentVolumeClaim", {}).get("claimName") for v in
               yaml.safe_load(open(p, encoding="utf-8"))["spec"]["template"]["spec"]
               .get("volumes", [])} for p in paths]
    if claims[0] != claims[1]:
        problems.append("%s: volumes %s differ from the sharded Job's %s"
                        % (follow_path, sorted(claims[1]), sorted(claims[0])))


def main(argv):
    if len(argv) < 3 or len(argv) % 2 != 1:
        sys.stderr.write(__doc__)
        return 2
    problems = []
    loaded = []
    for path in argv[1:]:
        checker = Checker(path)
        with open(path, encoding="utf-8") as stream:
            documents = [d for d in yaml.safe_load_all(stream) if d is not None]
        if len(documents) != 1:
            checker.problem("file", "expected one Job, found %d documents" % len(documents))
            loaded.append(None)
        else:
            loaded.append(checker.job(documents[0]))
        problems += checker.problems
    if not problems:
        for i in range(0, len(loaded), 2):
            check_pair(argv[1 + i:3 + i], loaded[i:i + 2], problems)
    for line in problems:
        print(line)
    if problems:
        return 1
    print("kubernetes manifests: %d Jobs structurally valid (batch/v1 fields, Indexed Job, "
          "shard count, follow-up Job, volumes)" % len(loaded))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
