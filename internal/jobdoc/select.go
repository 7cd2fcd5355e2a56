package jobdoc

import "github.com/glacierd/glacierd/internal/glacier"

// The wire shapes of a select job, as the service model names them: the
// InitiateJob request's SelectParameters and OutputLocation, echoed by
// DescribeJob with null for what was not given.

// SelectParameters is the model's SelectParameters.
type SelectParameters struct {
	InputSerialization  *InputSerialization  `json:"InputSerialization"`
	ExpressionType      *string              `json:"ExpressionType"`
	Expression          *string              `json:"Expression"`
	OutputSerialization *OutputSerialization `json:"OutputSerialization"`
}

// InputSerialization is the model's InputSerialization.
type InputSerialization struct {
	CSV *CSVInput `json:"csv"`
}

// CSVInput is the model's CSVInput.
type CSVInput struct {
	FileHeaderInfo       *string `json:"FileHeaderInfo"`
	Comments             *string `json:"Comments"`
	QuoteEscapeCharacter *string `json:"QuoteEscapeCharacter"`
	RecordDelimiter      *string `json:"RecordDelimiter"`
	FieldDelimiter       *string `json:"FieldDelimiter"`
	QuoteCharacter       *string `json:"QuoteCharacter"`
}

// OutputSerialization is the model's OutputSerialization.
type OutputSerialization struct {
	CSV *CSVOutput `json:"csv"`
}

// CSVOutput is the model's CSVOutput.
type CSVOutput struct {
	QuoteFields          *string `json:"QuoteFields"`
	QuoteEscapeCharacter *string `json:"QuoteEscapeCharacter"`
	RecordDelimiter      *string `json:"RecordDelimiter"`
	FieldDelimiter       *string `json:"FieldDelimiter"`
	QuoteCharacter       *string `json:"QuoteCharacter"`
}

// OutputLocation is the model's OutputLocation.
type OutputLocation struct {
	S3 *S3Location `json:"S3"`
}

// S3Location is the model's S3Location.
type S3Location struct {
	BucketName        *string           `json:"BucketName"`
	Prefix            *string           `json:"Prefix"`
	Encryption        *Encryption       `json:"Encryption"`
	CannedACL         *string           `json:"CannedACL"`
	AccessControlList []Grant           `json:"AccessControlList"`
	Tagging           map[string]string `json:"Tagging"`
	UserMetadata      map[string]string `json:"UserMetadata"`
	StorageClass      *string           `json:"StorageClass"`
}

// Encryption is the model's Encryption.
type Encryption struct {
	EncryptionType *string `json:"EncryptionType"`
	KMSKeyId       *string `json:"KMSKeyId"`
	KMSContext     *string `json:"KMSContext"`
}

// Grant is the model's Grant.
type Grant struct {
	Grantee    *Grantee `json:"Grantee"`
	Permission *string  `json:"Permission"`
}

// Grantee is the model's Grantee.
type Grantee struct {
	Type         *string `json:"Type"`
	DisplayName  *string `json:"DisplayName"`
	URI          *string `json:"URI"`
	ID           *string `json:"ID"`
	EmailAddress *string `json:"EmailAddress"`
}

func str(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

// Domain returns the select parameters w holds (nil for nil).
func (w *SelectParameters) Domain() *glacier.SelectParameters {
	if w == nil {
		return nil
	}
	p := &glacier.SelectParameters{ExpressionType: str(w.ExpressionType), Expression: str(w.Expression)}
	if w.InputSerialization != nil && w.InputSerialization.CSV != nil {
		c := w.InputSerialization.CSV
		p.Input = glacier.SelectCSVInput{FileHeaderInfo: str(c.FileHeaderInfo), Comments: str(c.Comments),
			QuoteEscapeCharacter: str(c.QuoteEscapeCharacter), RecordDelimiter: str(c.RecordDelimiter),
			FieldDelimiter: str(c.FieldDelimiter), QuoteCharacter: str(c.QuoteCharacter)}
	}
	if w.OutputSerialization != nil && w.OutputSerialization.CSV != nil {
		c := w.OutputSerialization.CSV
		p.Output = glacier.SelectCSVOutput{QuoteFields: str(c.QuoteFields),
			QuoteEscapeCharacter: str(c.QuoteEscapeCharacter), RecordDelimiter: str(c.RecordDelimiter),
			FieldDelimiter: str(c.FieldDelimiter), QuoteCharacter: str(c.QuoteCharacter)}
	}
	return p
}

// Domain returns the S3 location w holds (nil for nil or no S3).
func (w *OutputLocation) Domain() *glacier.S3Location {
	if w == nil || w.S3 == nil {
		return nil
	}
	s := w.S3
	l := &glacier.S3Location{BucketName: str(s.BucketName), Prefix: str(s.Prefix), CannedACL: str(s.CannedACL),
		Tagging: s.Tagging, UserMetadata: s.UserMetadata, StorageClass: str(s.StorageClass)}
	if e := s.Encryption; e != nil {
		l.Encryption = &glacier.S3Encryption{EncryptionType: str(e.EncryptionType), KMSKeyID: str(e.KMSKeyId), KMSContext: str(e.KMSContext)}
	}
	for _, g := range s.AccessControlList {
		dg := glacier.S3Grant{Permission: str(g.Permission)}
		if ge := g.Grantee; ge != nil {
			dg.Grantee = glacier.S3Grantee{Type: str(ge.Type), DisplayName: str(ge.DisplayName), URI: str(ge.URI),
				ID: str(ge.ID), EmailAddress: str(ge.EmailAddress)}
		}
		l.AccessControlList = append(l.AccessControlList, dg)
	}
	return l
}

// selectWire renders p; a serialization with nothing given is null.
func selectWire(p *glacier.SelectParameters) *SelectParameters {
	if p == nil {
		return nil
	}
	w := &SelectParameters{ExpressionType: nullable(p.ExpressionType), Expression: nullable(p.Expression)}
	if in := p.Input; in != (glacier.SelectCSVInput{}) {
		w.InputSerialization = &InputSerialization{CSV: &CSVInput{FileHeaderInfo: nullable(in.FileHeaderInfo),
			Comments: nullable(in.Comments), QuoteEscapeCharacter: nullable(in.QuoteEscapeCharacter),
			RecordDelimiter: nullable(in.RecordDelimiter), FieldDelimiter: nullable(in.FieldDelimiter),
			QuoteCharacter: nullable(in.QuoteCharacter)}}
	}
	if out := p.Output; out != (glacier.SelectCSVOutput{}) {
		w.OutputSerialization = &OutputSerialization{CSV: &CSVOutput{QuoteFields: nullable(out.QuoteFields),
			QuoteEscapeCharacter: nullable(out.QuoteEscapeCharacter), RecordDelimiter: nullable(out.RecordDelimiter),
			FieldDelimiter: nullable(out.FieldDelimiter), QuoteCharacter: nullable(out.QuoteCharacter)}}
	}
	return w
}

// locationWire renders l.
func locationWire(l *glacier.S3Location) *OutputLocation {
	if l == nil {
		return nil
	}
	s := &S3Location{BucketName: nullable(l.BucketName), Prefix: nullable(l.Prefix), CannedACL: nullable(l.CannedACL),
		Tagging: l.Tagging, UserMetadata: l.UserMetadata, StorageClass: nullable(l.StorageClass)}
	if e := l.Encryption; e != nil {
		s.Encryption = &Encryption{EncryptionType: nullable(e.EncryptionType), KMSKeyId: nullable(e.KMSKeyID), KMSContext: nullable(e.KMSContext)}
	}
	for _, g := range l.AccessControlList {
		ge := g.Grantee
		s.AccessControlList = append(s.AccessControlList, Grant{Permission: nullable(g.Permission), Grantee: &Grantee{
			Type: nullable(ge.Type), DisplayName: nullable(ge.DisplayName), URI: nullable(ge.URI),
			ID: nullable(ge.ID), EmailAddress: nullable(ge.EmailAddress)}})
	}
	return &OutputLocation{S3: s}
}
