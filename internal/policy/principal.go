package policy

import (
	"strings"

	"github.com/glacierd/glacierd/internal/glacier"
)

// principalSet is a parsed Principal or NotPrincipal element.
type principalSet struct {
	any      bool     // "*" or {"AWS": "*"}: everyone, anonymous included
	accounts []string // account IDs given bare or as a root ARN
	users    []userID // IAM user ARNs
	// Principals of other kinds (roles, assumed roles, federated users,
	// Service, Federated, CanonicalUser) are accepted and never match:
	// glacierd authenticates only account roots and IAM users.
}

// userID is one IAM user named by a policy.
type userID struct {
	account, name string
}

// matches reports whether the set names p.
func (s *principalSet) matches(p Principal) bool {
	if s.any {
		return true
	}
	if p.Account == "" {
		return false
	}
	for _, a := range s.accounts {
		if a == p.Account {
			return true
		}
	}
	if p.User == "" {
		return false
	}
	for _, u := range s.users {
		if u.account == p.Account && u.name == p.User {
			return true
		}
	}
	return false
}

// parsePrincipal parses a Principal or NotPrincipal element: "*" or an
// object whose members are AWS, Service, Federated or CanonicalUser, each a
// string or a non-empty list of strings.
func parsePrincipal(path string, v jvalue) (principalSet, error) {
	var s principalSet
	switch v.kind {
	case jString:
		if v.str != "*" {
			return s, errorf(`%s must be "*" or an object such as {"AWS": "123456789012"}, not the string %q`, path, v.str)
		}
		s.any = true
		return s, nil
	case jObject:
	default:
		return s, errorf(`%s must be "*" or an object such as {"AWS": "123456789012"}, not %s`, path, v.typeName())
	}
	if len(v.obj) == 0 {
		return s, errorf("%s must name at least one principal", path)
	}
	for _, m := range v.obj {
		mpath := path + "." + m.key
		vals, err := stringList(mpath, m.val)
		if err != nil {
			return s, err
		}
		switch m.key {
		case "AWS":
			for i, id := range vals {
				if err := s.addAWS(elemPath(mpath, m.val, i), id); err != nil {
					return s, err
				}
			}
		case "Service", "Federated", "CanonicalUser":
			for i, id := range vals {
				if id == "" {
					return s, errorf("%s must not be empty", elemPath(mpath, m.val, i))
				}
			}
		default:
			return s, errorf("%s has unknown principal type %q (want AWS, Service, Federated or CanonicalUser)", path, m.key)
		}
	}
	return s, nil
}

// addAWS adds one value of an AWS principal: "*", a 12-digit account ID or
// an IAM/STS ARN in that account.
func (s *principalSet) addAWS(path, id string) error {
	if id == "*" {
		s.any = true
		return nil
	}
	if glacier.IsAccountID(id) {
		s.accounts = append(s.accounts, id)
		return nil
	}
	if strings.ContainsAny(id, "*?") {
		return errorf("%s %q: wildcards are not allowed in a principal except \"*\" on its own", path, id)
	}
	// arn:PARTITION:SERVICE::ACCOUNT:RESOURCE
	parts := strings.SplitN(id, ":", 6)
	if len(parts) != 6 || parts[0] != "arn" || !isPartition(parts[1]) ||
		(parts[2] != "iam" && parts[2] != "sts") || parts[3] != "" ||
		!glacier.IsAccountID(parts[4]) || parts[5] == "" {
		return errorf("%s %q is not \"*\", a 12-digit account ID or an IAM ARN such as arn:aws:iam::123456789012:user/name", path, id)
	}
	acct, res := parts[4], parts[5]
	switch {
	case parts[2] == "iam" && res == "root":
		s.accounts = append(s.accounts, acct)
	case parts[2] == "iam" && strings.HasPrefix(res, "user/"):
		name := strings.TrimPrefix(res, "user/")
		if name == "" {
			return errorf("%s %q has an empty user name", path, id)
		}
		s.users = append(s.users, userID{account: acct, name: name})
	}
	// Roles, assumed roles and the like are valid but name nobody here.
	return nil
}

// isPartition reports whether s looks like an AWS partition name (aws,
// aws-cn, aws-us-gov, ...). The partition is not compared when matching:
// glacierd has one.
func isPartition(s string) bool {
	if !strings.HasPrefix(s, "aws") {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; (c < 'a' || c > 'z') && c != '-' {
			return false
		}
	}
	return true
}
