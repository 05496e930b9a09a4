# An example organisation policy: strict.
#
# Use it as the base layer of every repository's policy:
#   tfguard --policy policies/examples/strict.hcl --policy .tfguard.hcl plan.json
# Reference: docs/policy.md. Tests: policies/examples/tests/strict.test.hcl.
#
# What it says:
#   - a change nobody has shown to be human counts as AI-generated, even when its history holds no AI signal;
#   - deleting or replacing a critical data store (databases, object storage, key material, block
#     storage, ...) needs two senior approvals, whoever wrote the change;
#   - deleting or replacing any other stateful resource needs one approval when the change is AI-generated;
#   - destroying most of the environment (or a -destroy plan) is never allowed through the pipeline,
#     and no repository policy may weaken that (lock = true);
#   - lowering a protection (deletion_protection, force_destroy, ...) needs one approval, always;
#   - forgetting a stateful resource (removed { lifecycle { destroy = false } }) needs one approval
#     when the change is AI-generated;
#   - every other destructive change is reported as a warning.
#
# Approvals: signed records (`tfguard approve`, checked against the approvers' ssh_keys) and approving
# pull-request reviews on the head commit (by the approvers' github logins); see docs/approvals.md.

version     = 1
description = "Example organisation policy (strict): critical data needs two approvals, whole-environment deletion is never allowed, unknown provenance counts as AI."

stateful {
  # The built-in catalogue of stateful resource types (policies/catalogue/*.json).
  catalogue = true
  # Resources this policy declares stateful that the catalogue does not know get this severity.
  severity  = "high"
}

provenance {
  unknown = "ai"
  # A history with no AI signal still counts as AI: here a change must be shown to be human
  # (--provenance human from a trusted step) to skip the senior.
  no_evidence = "ai"
  # Signatures of the AI tools this organisation uses, on top of the shipped ones
  # (policies/ai-signals.json): commit trailers, author identities, labels, branch prefixes, messages.
  ai_signatures {
    trailers        = ["Co-authored-by: *[bot]*", "Generated-by: *"]
    authors         = ["*agent*@example.com"]
    labels          = ["ai-generated", "agent:*"]
    branch_prefixes = ["agent/", "copilot/"]
    messages        = ["Generated with *"]
  }
}

rule "whole-environment" {
  description = "The \"delete and recreate the environment\" shape: at least 5 and at least half of the existing managed resources destroyed or replaced in one plan, or a `terraform plan -destroy` plan. Not something a pipeline applies."
  match {
    whole_environment {
      min_count    = 5
      min_share    = 0.5
      destroy_mode = true
    }
  }
  enforcement = "hard-mandatory"
  message     = "Destroys or replaces most of the environment; this is never applied from the pipeline (run it by hand, with the platform team)"
  lock        = true
}

rule "critical-data-destroy" {
  description = "Deleting or replacing a critical data store (catalogue severity critical: databases, object storage, block storage, key material, ...) loses data that cannot be recreated."
  match {
    kinds      = ["delete", "replace", "import-replace", "unknown"]
    stateful   = true
    severities = ["critical"]
  }
  enforcement = "soft-mandatory"
  approval {
    when  = "always"
    count = 2
  }
  message = "Destroys a critical data store; two senior engineers must approve"
}

rule "stateful-destroy" {
  description = "Deleting or replacing any other resource that holds data or durable identity (catalogue severity high or medium, or declared stateful by a policy)."
  match {
    kinds      = ["delete", "replace", "import-replace", "unknown"]
    stateful   = true
    severities = ["high", "medium"]
  }
  enforcement = "soft-mandatory"
  approval {
    when  = "ai"
    count = 1
  }
  message = "Destroys a resource that holds data or durable identity"
}

rule "protection-downgrade" {
  description = "Lowering a protection of a stateful resource (deletion_protection off, force_destroy or skip_final_snapshot on, a retention window shortened): the usual first step before a destroy."
  match {
    protection_downgrade = true
  }
  enforcement = "soft-mandatory"
  approval {
    when  = "always"
    count = 1
  }
  message = "Lowers a protection of a stateful resource"
}

rule "stateful-forget" {
  description = "A stateful resource leaves Terraform's management (removed block with destroy = false): the object survives, but nothing guards it any more."
  match {
    kinds    = ["forget", "forget-replace"]
    stateful = true
  }
  enforcement = "soft-mandatory"
  approval {
    when  = "ai"
    count = 1
  }
  message = "A stateful resource leaves Terraform's management (the object itself is kept)"
}

rule "destructive" {
  description = "Any destructive change to a resource that is not known to hold data: reported so the reviewer sees it."
  match {
    destructive = true
    stateful    = false
  }
  enforcement = "advisory"
  message     = "Destroys, replaces or forgets a resource not known to hold data"
}

# The senior engineers whose approvals will count (see docs/policy.md, "Approvers").
approver "alice" {
  name   = "Alice Example"
  github = "alice-example"
}

approver "bob" {
  name   = "Bob Example"
  github = "bob-example"
}

approver "carol" {
  name     = "Carol Example"
  ssh_keys = ["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBkp+MEF5ZlHDVcHyzPxdkNv8CQOg8M4a6k0UvhBiXEe tfguard-fixture-ed25519"]
}
