# Tests of policies/examples/strict.hcl. Run: tfguard policy test policies/examples/tests
# Paths are relative to this file. Reference: docs/policy.md, "Testing policies".

policy = ["../strict.hcl"]

case "AI agent recreates the environment" {
  description = "The incident shape: hard-mandatory whole-environment finding, two approvals for each critical data store, one for the other stateful resources, warnings for the rest. Nothing else."
  plan        = "../../../examples/environment-recreation/plan.json"
  provenance  = "ai"
  expect {
    verdict    = "block"
    exhaustive = true
    finding {
      rule               = "whole-environment"
      effect             = "block"
      approvals_required = 0
    }
    finding {
      rule               = "critical-data-destroy"
      address            = "aws_db_instance.main"
      effect             = "block"
      approvals_required = 2
    }
    finding {
      rule               = "critical-data-destroy"
      address            = "aws_s3_bucket.assets"
      effect             = "block"
      approvals_required = 2
    }
    finding {
      rule               = "critical-data-destroy"
      address            = "aws_kms_key.data"
      effect             = "block"
      approvals_required = 2
    }
    finding {
      rule               = "critical-data-destroy"
      address            = "aws_ebs_volume.cache"
      effect             = "block"
      approvals_required = 2
    }
    finding {
      rule               = "stateful-destroy"
      address            = "aws_sqs_queue.jobs"
      effect             = "block"
      approvals_required = 1
    }
    finding {
      rule               = "stateful-destroy"
      address            = "aws_cloudwatch_log_group.api"
      effect             = "block"
      approvals_required = 1
    }
    finding {
      rule    = "destructive"
      address = "aws_iam_role.app"
      effect  = "warn"
    }
    finding {
      rule    = "destructive"
      address = "aws_lambda_function.api"
      effect  = "warn"
    }
    finding {
      rule    = "destructive"
      address = "aws_security_group.db"
      effect  = "warn"
    }
  }
}

case "a human recreates the environment" {
  description = "Still blocked: whole-environment is hard-mandatory and critical data needs approval whoever wrote the change; the other stateful destroys only warn for a human."
  plan        = "../../../examples/environment-recreation/plan.json"
  provenance  = "human"
  expect {
    verdict = "block"
    finding {
      rule   = "whole-environment"
      effect = "block"
    }
    finding {
      rule               = "critical-data-destroy"
      address            = "aws_db_instance.main"
      effect             = "block"
      approvals_required = 2
    }
    finding {
      rule               = "stateful-destroy"
      address            = "aws_sqs_queue.jobs"
      effect             = "warn"
      approvals_required = 0
    }
    no_finding {
      rule   = "stateful-destroy"
      effect = "block"
    }
  }
}

case "unknown provenance counts as AI" {
  plan = "../../../examples/environment-recreation/plan.json"
  expect {
    verdict = "block"
    finding {
      rule               = "stateful-destroy"
      address            = "aws_sqs_queue.jobs"
      effect             = "block"
      approvals_required = 1
    }
  }
}

case "the safe change only warns" {
  description = "A security group rule replaced (holds no data): one advisory finding, nothing else."
  plan        = "../../../examples/safe-change/plan.json"
  provenance  = "ai"
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

case "protection downgrades need an approval, even from a human" {
  plan       = "../../../test/fixtures/derived/protection-downgrade.json"
  provenance = "human"
  expect {
    verdict    = "block"
    exhaustive = true
    finding {
      rule               = "protection-downgrade"
      address            = "aws_db_instance.main"
      effect             = "block"
      approvals_required = 1
    }
    finding {
      rule               = "protection-downgrade"
      address            = "aws_s3_bucket.assets"
      effect             = "block"
      approvals_required = 1
    }
    finding {
      rule               = "protection-downgrade"
      address            = "google_sql_database_instance.main"
      effect             = "block"
      approvals_required = 1
    }
  }
}

case "a database replaced by a human needs two approvals" {
  plan       = "../../../test/fixtures/derived/sensitive-replace.json"
  provenance = "human"
  expect {
    verdict    = "block"
    exhaustive = true
    finding {
      rule               = "critical-data-destroy"
      address            = "aws_db_instance.main"
      effect             = "block"
      approvals_required = 2
    }
  }
}

case "a -destroy plan is whole-environment deletion" {
  description = "terraform_data holds no data, so only whole-environment blocks (destroy_mode), whoever wrote it."
  plan        = "../../../test/fixtures/plans/destroy-mode.json"
  provenance  = "human"
  expect {
    verdict = "block"
    finding {
      rule   = "whole-environment"
      effect = "block"
    }
    finding {
      rule    = "destructive"
      address = "terraform_data.database"
      effect  = "warn"
    }
    no_finding { rule = "stateful-destroy" }
    no_finding { rule = "critical-data-destroy" }
  }
}

case "mass deletion above the threshold" {
  description = "7 of 12 managed resources deleted: at least 5 and at least 50 %."
  plan        = "../../../test/fixtures/plans/mass-deletion.json"
  provenance  = "human"
  expect {
    verdict = "block"
    finding {
      rule   = "whole-environment"
      effect = "block"
    }
  }
}

case "mass deletion below the threshold" {
  description = "3 of 12 deleted: below both thresholds, so three warnings and no whole-environment finding."
  plan        = "../../../test/fixtures/plans/mass-deletion-below-threshold.json"
  provenance  = "ai"
  expect {
    verdict = "warn"
    no_finding { rule = "whole-environment" }
    finding {
      rule    = "destructive"
      address = "terraform_data.payments"
      effect  = "warn"
    }
  }
}

case "a forget of resources not known to hold data" {
  description = "removed { lifecycle { destroy = false } } on terraform_data: not stateful, so stateful-forget does not match and the forget is only reported (see layering.test.json for stateful forgets)."
  plan        = "../../../test/fixtures/plans/removed-forget.json"
  provenance  = "ai"
  expect {
    verdict    = "warn"
    exhaustive = true
    finding {
      rule    = "destructive"
      address = "terraform_data.legacy_db"
      effect  = "warn"
    }
    finding {
      rule    = "destructive"
      address = "terraform_data.legacy_disk[0]"
      effect  = "warn"
    }
    finding {
      rule    = "destructive"
      address = "terraform_data.legacy_disk[1]"
      effect  = "warn"
    }
  }
}

case "an errored plan is an error, whatever the findings" {
  plan       = "../../../test/fixtures/plans/errored-prevent-destroy.json"
  provenance = "human"
  expect {
    verdict = "error"
    finding {
      rule    = "destructive"
      address = "terraform_data.db"
    }
  }
}
