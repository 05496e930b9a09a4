# Tests of policies/examples/lenient.hcl. Run: tfguard policy test policies/examples/tests
# Paths are relative to this file. Reference: docs/policy.md, "Testing policies".

policy = ["../lenient.hcl"]

case "AI agent recreates the environment" {
  description = "Two approvals for the whole environment, one each for the database and the key; every other change only warns. The database and the key also get a warning from the advisory stateful-destroy rule (rules overlap)."
  plan        = "../../../examples/environment-recreation/plan.json"
  provenance  = "ai"
  expect {
    verdict    = "block"
    exhaustive = true
    finding {
      rule               = "whole-environment"
      effect             = "block"
      approvals_required = 2
    }
    finding {
      rule               = "database-or-key-destroy"
      address            = "aws_db_instance.main"
      effect             = "block"
      approvals_required = 1
    }
    finding {
      rule               = "database-or-key-destroy"
      address            = "aws_kms_key.data"
      effect             = "block"
      approvals_required = 1
    }
    finding {
      rule   = "stateful-destroy"
      effect = "warn"
    }
    finding {
      rule   = "destructive"
      effect = "warn"
    }
  }
}

case "a human recreates the environment" {
  description = "The whole-environment rule asks approval always, so a human change is still blocked; the database and key rule asks only for AI changes, so it warns."
  plan        = "../../../examples/environment-recreation/plan.json"
  provenance  = "human"
  expect {
    verdict = "block"
    finding {
      rule               = "whole-environment"
      effect             = "block"
      approvals_required = 2
    }
    finding {
      rule               = "database-or-key-destroy"
      address            = "aws_db_instance.main"
      effect             = "warn"
      approvals_required = 0
    }
    no_finding {
      rule   = "database-or-key-destroy"
      effect = "block"
    }
  }
}

case "unknown provenance counts as human" {
  plan = "../../../examples/environment-recreation/plan.json"
  expect {
    verdict = "block"
    finding {
      rule    = "database-or-key-destroy"
      address = "aws_kms_key.data"
      effect  = "warn"
    }
  }
}

case "the safe change only warns" {
  plan       = "../../../examples/safe-change/plan.json"
  provenance = "ai"
  expect {
    verdict    = "warn"
    exhaustive = true
    finding {
      rule    = "destructive"
      address = "aws_security_group_rule.https"
      effect  = "warn"
    }
  }
}

case "AI lowers database protections" {
  description = "Database protections need an approval for an AI change; the bucket's force_destroy only warns."
  plan        = "../../../test/fixtures/derived/protection-downgrade.json"
  provenance  = "ai"
  expect {
    verdict    = "block"
    exhaustive = true
    finding {
      rule               = "database-or-key-protection-downgrade"
      address            = "aws_db_instance.main"
      effect             = "block"
      approvals_required = 1
    }
    finding {
      rule               = "database-or-key-protection-downgrade"
      address            = "google_sql_database_instance.main"
      effect             = "block"
      approvals_required = 1
    }
    finding {
      rule   = "protection-downgrade"
      effect = "warn"
    }
    no_finding {
      rule    = "database-or-key-protection-downgrade"
      address = "aws_s3_bucket.assets"
    }
  }
}

case "a human lowers database protections" {
  plan       = "../../../test/fixtures/derived/protection-downgrade.json"
  provenance = "human"
  expect {
    verdict = "warn"
    finding {
      rule    = "database-or-key-protection-downgrade"
      address = "aws_db_instance.main"
      effect  = "warn"
    }
  }
}

case "AI replaces a database" {
  plan       = "../../../test/fixtures/derived/sensitive-replace.json"
  provenance = "ai"
  expect {
    verdict    = "block"
    exhaustive = true
    finding {
      rule               = "database-or-key-destroy"
      address            = "aws_db_instance.main"
      effect             = "block"
      approvals_required = 1
    }
    finding {
      rule    = "stateful-destroy"
      address = "aws_db_instance.main"
      effect  = "warn"
    }
  }
}

case "a -destroy plan needs two approvals" {
  plan = "../../../test/fixtures/plans/destroy-mode.json"
  expect {
    verdict = "block"
    finding {
      rule               = "whole-environment"
      effect             = "block"
      approvals_required = 2
    }
  }
}

case "mass deletion above the threshold" {
  plan       = "../../../test/fixtures/plans/mass-deletion.json"
  provenance = "human"
  expect {
    verdict = "block"
    finding {
      rule               = "whole-environment"
      effect             = "block"
      approvals_required = 2
    }
  }
}

case "mass deletion below the threshold" {
  plan       = "../../../test/fixtures/plans/mass-deletion-below-threshold.json"
  provenance = "ai"
  expect {
    verdict    = "warn"
    exhaustive = true
    finding {
      rule   = "destructive"
      effect = "warn"
    }
  }
}

case "a forget only warns" {
  plan       = "../../../test/fixtures/plans/removed-forget.json"
  provenance = "ai"
  expect {
    verdict = "warn"
    finding {
      rule    = "destructive"
      address = "terraform_data.legacy_db"
      effect  = "warn"
    }
    no_finding { rule = "stateful-forget" }
  }
}
