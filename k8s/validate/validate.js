// Checks every Kubernetes object under k8s/ against the Kubernetes API schemas, offline.
//
//   node k8s/validate/validate.js [DIR]      (DIR defaults to the k8s/ folder above this one)
//
// Each YAML document is parsed the way the API machinery parses it (YAML 1.1, so an unquoted
// `yes` is a boolean and fails where a string is wanted), then given to the kubernetes-models class
// of its apiVersion and kind, whose validate() rejects missing required fields, wrong types and
// values outside an enum. Exits 1 naming file, document, kind, name and every error; 0 when all
// pass. Unknown fields are not schema errors here: K8sManifestsTest checks those.
'use strict';

const fs = require('fs');
const path = require('path');
const YAML = require('yaml');

const root = path.resolve(process.argv[2] || path.join(__dirname, '..'));
const SKIP_DIRS = new Set(['node_modules', 'validate', 'target']);

function yamlFiles(dir) {
  return fs.readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((entry) => {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        return SKIP_DIRS.has(entry.name) ? [] : yamlFiles(full);
      }
      return /\.ya?ml$/.test(entry.name) ? [full] : [];
    });
}

// "apps/v1" -> kubernetes-models/apps/v1, "v1" -> kubernetes-models/v1 (the core group)
function modelClass(apiVersion, kind) {
  let group;
  try {
    group = require(`kubernetes-models/${apiVersion}`);
  } catch (e) {
    return null;
  }
  return typeof group[kind] === 'function' ? group[kind] : null;
}

function problemsOf(doc) {
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
    return ['the document is not a mapping'];
  }
  if (typeof doc.apiVersion !== 'string' || typeof doc.kind !== 'string') {
    return ['apiVersion and kind are required'];
  }
  const Model = modelClass(doc.apiVersion, doc.kind);
  if (!Model) {
    return [`no schema for ${doc.apiVersion} ${doc.kind} in kubernetes-models (a typo, or a custom resource)`];
  }
  const problems = [];
  // The schema leaves metadata.name optional (generateName), but `kubectl apply` needs it.
  if (!doc.metadata || typeof doc.metadata.name !== 'string' || doc.metadata.name === '') {
    problems.push('metadata.name is required');
  }
  try {
    new Model(doc).validate();
  } catch (e) {
    const errors = Array.isArray(e.errors) && e.errors.length > 0
      ? e.errors.map((err) => `${err.instancePath || '/'} ${err.message}${err.params && err.params.allowedValues ? ` (${err.params.allowedValues.join(', ')})` : ''}`)
      : [e.message];
    problems.push(...errors);
  }
  return problems;
}

// A YAML file none of whose documents names an apiVersion or kind is some other configuration
// (a Prometheus rules file, say): it is reported and left alone. One such document among
// manifests is an error.
function isManifestFile(parsed) {
  return parsed.some((document) => {
    const doc = document.errors.length === 0 ? document.toJS() : null;
    return document.errors.length > 0
      || (doc !== null && typeof doc === 'object' && ('apiVersion' in doc || 'kind' in doc));
  });
}

let documents = 0;
let failures = 0;
const files = yamlFiles(root);
for (const file of files) {
  const where = path.relative(process.cwd(), file);
  const parsed = YAML.parseAllDocuments(fs.readFileSync(file, 'utf8'), { version: '1.1', uniqueKeys: true });
  if (!isManifestFile(parsed)) {
    console.log(`${where}: no apiVersion or kind in any document, not a Kubernetes manifest: skipped`);
    continue;
  }
  parsed.forEach((document, index) => {
    const label = `${where} document ${index + 1}`;
    if (document.errors.length > 0) {
      documents++;
      failures++;
      document.errors.forEach((err) => console.error(`${label}: YAML: ${err.message}`));
      return;
    }
    const doc = document.toJS();
    if (doc === null || doc === undefined) {
      return; // an empty document, e.g. after a trailing ---
    }
    documents++;
    const problems = problemsOf(doc);
    if (problems.length > 0) {
      failures++;
      const name = doc && doc.metadata && doc.metadata.name ? doc.metadata.name : '(no name)';
      const kind = doc && doc.kind ? doc.kind : '(no kind)';
      problems.forEach((p) => console.error(`${label}: ${kind}/${name}: ${p}`));
    }
  });
}

if (documents === 0) {
  console.error(`no Kubernetes objects found under ${root}`);
  process.exit(1);
}
if (failures > 0) {
  console.error(`k8s schema check FAILED: ${failures} of ${documents} objects in ${files.length} files`);
  process.exit(1);
}
console.log(`k8s schema check: ${documents} objects in ${files.length} files valid`);
