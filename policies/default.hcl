# tfguard's built-in default policy: used when no policy file is given and none is found.
# The built-in behaviour comes from this file alone (compiled to JSON when tfguard is built).
# Reference: docs/policy.md. Layer your own files on top with --policy builtin:default --policy yours.hcl.

version     = 1
description = "tfguard built-in default: AI-generated destruction of stateful resources needs a senior approval; deleting the environment needs two."

stateful {
  catalogue = true
}

provenance {
  # Nothing could be read (no git repository, an empty commit range, a base missing from a shallow
  # clone): the change counts as AI-generated, so it still goes to a senior.
  unknown = "ai"
  # The history was read and carries no AI signal (policies/ai-signals.json, docs/provenance.md):
  # the change counts as human, so a person's change is not sent to a senior.
  no_evidence = "human"
}

rule "whole-environment" {
  description = "The \"delete and recreate the environment\" shape: a large share of the managed resources destroyed or replaced in one plan, or a `terraform plan -destroy` plan."
  match {
    whole_environment {
      min_count    = 5
      min_share    = 0.5
      destroy_mode = true
    }
  }
  enforcement = "soft-mandatory"
  approval {
    when  = "always"
    count = 2
  }
  message = "Destroys or replaces most of the environment"
}

rule "stateful-destroy" {
  description = "Deleting or replacing a resource that holds data or durable identity."
  match {
    kinds    = ["delete", "replace", "import-replace", "unknown"]
    stateful = true
  }
  enforcement = "soft-mandatory"
  approval {
    when  = "ai"
    count = 1
  }
  message = "Destroys a resource that holds data or durable identity"
}

rule "protection-downgrade" {
  description = "Lowering a protection (deletion_protection, force_destroy, skip_final_snapshot, retention windows, ...) of a stateful resource: the usual first step before a destroy."
  match {
    protection_downgrade = true
  }
  enforcement = "soft-mandatory"
  approval {
    when  = "ai"
    count = 1
  }
  message = "Lowers a protection of a stateful resource"
}

rule "stateful-forget" {
  description = "A stateful resource leaves Terraform's management (removed block with destroy = false); the real object survives."
  match {
    kinds    = ["forget", "forget-replace"]
    stateful = true
  }
  enforcement = "advisory"
  message     = "A stateful resource leaves Terraform's management (the object itself is kept)"
}

rule "destructive" {
  description = "Deleting, replacing or forgetting a resource that the catalogue does not know to hold data."
  match {
    destructive = true
    stateful    = false
  }
  enforcement = "advisory"
  message     = "Destroys or replaces a resource not known to hold data"
}
