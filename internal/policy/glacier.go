package policy

import "strings"

// GlacierActions returns the IAM actions of Amazon Glacier, "glacier:"
// followed by an API operation name, as listed in the Glacier developer
// guide (glacier-api-permissions-ref.html), in alphabetical order. Every
// call returns a new slice, which the caller may modify.
func GlacierActions() []string {
	return []string{
		"glacier:AbortMultipartUpload",
		"glacier:AbortVaultLock",
		"glacier:AddTagsToVault",
		"glacier:CompleteMultipartUpload",
		"glacier:CompleteVaultLock",
		"glacier:CreateVault",
		"glacier:DeleteArchive",
		"glacier:DeleteVault",
		"glacier:DeleteVaultAccessPolicy",
		"glacier:DeleteVaultNotifications",
		"glacier:DescribeJob",
		"glacier:DescribeVault",
		"glacier:GetDataRetrievalPolicy",
		"glacier:GetJobOutput",
		"glacier:GetVaultAccessPolicy",
		"glacier:GetVaultLock",
		"glacier:GetVaultNotifications",
		"glacier:InitiateJob",
		"glacier:InitiateMultipartUpload",
		"glacier:InitiateVaultLock",
		"glacier:ListJobs",
		"glacier:ListMultipartUploads",
		"glacier:ListParts",
		"glacier:ListProvisionedCapacity",
		"glacier:ListTagsForVault",
		"glacier:ListVaults",
		"glacier:PurchaseProvisionedCapacity",
		"glacier:RemoveTagsFromVault",
		"glacier:SetDataRetrievalPolicy",
		"glacier:SetVaultAccessPolicy",
		"glacier:SetVaultNotifications",
		"glacier:UploadArchive",
		"glacier:UploadMultipartPart",
	}
}

// ParseGlacierPolicy is Parse plus the checks Amazon Glacier applies to a
// vault access policy (SetVaultAccessPolicy) or vault lock policy
// (InitiateVaultLock): every Action or NotAction entry must be "*" or a
// "glacier:" action (prefix matched case-insensitively) that names, or
// with wildcards matches, at least one action in GlacierActions. Every
// error is a *ParseError.
func ParseGlacierPolicy(doc string) (*Policy, error) {
	p, err := Parse(doc)
	if err != nil {
		return nil, err
	}
	known := GlacierActions()
	for i := range p.statements {
		for _, a := range p.statements[i].actions {
			if a.raw == "*" {
				continue
			}
			if !strings.HasPrefix(strings.ToLower(a.raw), "glacier:") {
				return nil, errorf("%s %q is not an Amazon Glacier action (want \"glacier:...\" or \"*\")", a.path, a.raw)
			}
			if !matchesAnyAction(a.glob, known) {
				return nil, errorf("%s %q matches no Amazon Glacier action", a.path, a.raw)
			}
		}
	}
	return p, nil
}

// ValidateGlacierPolicy reports whether doc is acceptable as a Glacier
// vault access policy or vault lock policy, as ParseGlacierPolicy decides:
// it returns nil or a *ParseError.
func ValidateGlacierPolicy(doc string) error {
	_, err := ParseGlacierPolicy(doc)
	return err
}

// matchesAnyAction reports whether glob matches any of actions.
func matchesAnyAction(glob []rune, actions []string) bool {
	for _, a := range actions {
		if globMatch(glob, a, true) {
			return true
		}
	}
	return false
}
