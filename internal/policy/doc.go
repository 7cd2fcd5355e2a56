// Package policy parses and evaluates the subset of the AWS IAM policy
// language that Amazon Glacier vault access policies and vault lock policies
// use: resource-based policies, which always name a principal.
//
// [Parse] turns a JSON document into an immutable [Policy];
// [Policy.Evaluate] decides a [Request] (principal, action, resource and
// condition context) as IAM does within one policy: [Deny] if any applying
// statement denies, else [Allow] if any applying statement allows, else
// [NoMatch]. [ParseGlacierPolicy] and [ValidateGlacierPolicy] add Glacier's
// rule that actions be Glacier actions, for SetVaultAccessPolicy and
// InitiateVaultLock. Every parse failure is a *[ParseError] whose message
// names the offending element, statements numbered from 0.
//
// # Language
//
//   - Top level: Version ("2012-10-17" or "2008-10-17"; absent means
//     2008-10-17), Id (a string, ignored) and Statement (one object or a
//     non-empty list). Nothing else.
//   - Statement: Sid (a string, unique within the document when not empty),
//     Effect (Allow or Deny, required), exactly one of Principal and
//     NotPrincipal, exactly one of Action and NotAction, exactly one of
//     Resource and NotResource, and an optional Condition.
//   - Principal: "*", or an object with AWS, Service, Federated or
//     CanonicalUser members, each a string or a list of strings. An AWS
//     value is "*", a 12-digit account ID, or an IAM/STS ARN. An account ID
//     or arn:aws:iam::ACCOUNT:root matches every principal of the account;
//     arn:aws:iam::ACCOUNT:user/NAME matches only that user. Role and
//     assumed-role ARNs and the non-AWS principal types are accepted but
//     match nobody, since glacierd has only account roots and IAM users.
//     Only "*" matches the anonymous principal.
//   - Action: "*" or "service:Name", Name possibly holding the wildcards
//     '*' (any run) and '?' (one character); matched case-insensitively.
//   - Resource: "*" or an ARN with wildcards; matched case-sensitively.
//   - Condition: operator → condition key → a value or a non-empty list of
//     values (JSON strings, numbers or booleans). Operators: StringEquals,
//     StringNotEquals, StringEqualsIgnoreCase, StringNotEqualsIgnoreCase,
//     StringLike, StringNotLike, NumericEquals, NumericNotEquals,
//     NumericLessThan, NumericLessThanEquals, NumericGreaterThan,
//     NumericGreaterThanEquals, DateEquals, DateNotEquals, DateLessThan,
//     DateLessThanEquals, DateGreaterThan, DateGreaterThanEquals, Bool and
//     Null; each but Null also with the IfExists suffix and the
//     ForAnyValue: or ForAllValues: prefix. Dates are ISO 8601 or epoch
//     seconds. Condition keys are matched case-insensitively.
//     Binary, IpAddress and Arn operators are not supported and are
//     rejected as unknown.
//
// Conditions combine as IAM documents: operators AND, keys within an
// operator AND, values of one key OR (NOR for a negated operator). How a
// key absent from the request is treated is described, with the IAM
// documentation it follows, on the evaluation code; in short a negated
// operator (StringNotEquals, StringNotEqualsIgnoreCase, StringNotLike,
// NumericNotEquals, DateNotEquals) is true and every other operator false,
// any IfExists operator is true, ForAllValues: is true and ForAnyValue:
// false.
//
// # Policy variables
//
// In a 2012-10-17 document, Resource entries and the values of String
// operators may use policy variables: ${key} or ${key, 'default'} (two
// single quotes in a default stand for one), for any condition key the
// request supplies, and
// the escapes ${*}, ${?} and ${$}. A variable's value is literal text,
// never a wildcard. The keys aws:username, aws:PrincipalAccount and
// aws:PrincipalArn are derived from [Request.Principal] when the request
// context lacks them. A variable whose key is absent or multivalued and
// that has no default makes its entry match nothing, as IAM does; a
// malformed variable is a parse error. In a 2008-10-17 document (or one
// with no Version) "${" is plain text. Numeric, Date, Bool and Null values
// take no variables.
//
// Non-test code imports only the standard library, and the package holds no
// package-level mutable state.
package policy
