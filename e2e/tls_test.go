package e2e

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/glacier"
	"github.com/aws/aws-sdk-go-v2/service/glacier/types"

	"github.com/glacierd/glacierd/internal/app"
)

// selfSigned writes a certificate and key for 127.0.0.1 into dir.
func selfSigned(t *testing.T, dir string) (cert, key string) {
	t.Helper()
	priv, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "glacierd test"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, KeyUsage: x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &priv.PublicKey, priv)
	if err != nil {
		t.Fatal(err)
	}
	kb, err := x509.MarshalECPrivateKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	cert, key = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	if err := os.WriteFile(cert, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(key, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kb}), 0o600); err != nil {
		t.Fatal(err)
	}
	return cert, key
}

const denyWithoutTLS = `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"glacier:*","Resource":"*",
	"Condition":{"Bool":{"aws:SecureTransport":"false"}}}]}`

// TestTLSAndSecureTransport serves HTTPS and checks that a policy denying
// requests without TLS lets HTTPS requests through.
func TestTLSAndSecureTransport(t *testing.T) {
	dir := t.TempDir()
	cert, key := selfSigned(t, dir)
	e := start(t, func(c *app.Config) { c.TLSCert, c.TLSKey = cert, key })
	pool := x509.NewCertPool()
	certPEM, _ := os.ReadFile(cert)
	pool.AppendCertsFromPEM(certPEM)
	gl := glacier.NewFromConfig(aws.Config{
		Region:      testRegion,
		Credentials: credentials.NewStaticCredentialsProvider(testKey, testSecret, ""),
		HTTPClient:  &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}},
	}, func(o *glacier.Options) {
		o.BaseEndpoint = aws.String(e.m.URL())
		o.Retryer = aws.NopRetryer{}
	})
	if _, err := gl.CreateVault(ctx, &glacier.CreateVaultInput{AccountId: aws.String("-"), VaultName: aws.String("v")}); err != nil {
		t.Fatal(err)
	}
	if _, err := gl.SetVaultAccessPolicy(ctx, &glacier.SetVaultAccessPolicyInput{AccountId: aws.String("-"), VaultName: aws.String("v"),
		Policy: &types.VaultAccessPolicy{Policy: aws.String(denyWithoutTLS)}}); err != nil {
		t.Fatal(err)
	}
	if _, err := gl.DescribeVault(ctx, &glacier.DescribeVaultInput{AccountId: aws.String("-"), VaultName: aws.String("v")}); err != nil {
		t.Errorf("DescribeVault over TLS under a deny-without-TLS policy: %v", err)
	}
}

// TestForwardedProto trusts X-Forwarded-Proto only when told to.
func TestForwardedProto(t *testing.T) {
	for _, trust := range []bool{false, true} {
		e := start(t, func(c *app.Config) { c.TrustForwardedProto = trust })
		e.mustCreateVault("v")
		setPolicy(t, e, "v", denyWithoutTLS)
		r := e.raw(rawReq{method: "GET", path: "/-/vaults/v", sign: true, header: map[string]string{"X-Forwarded-Proto": "https"}})
		if want := map[bool]int{false: 403, true: 200}[trust]; r.status != want {
			t.Errorf("trust-forwarded-proto=%v: status %d (%s), want %d", trust, r.status, r.body, want)
		}
	}
}
