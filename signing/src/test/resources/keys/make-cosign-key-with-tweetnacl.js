// Writes a cosign-format encrypted key (go-securesystemslib "encrypted": scrypt + nacl/secretbox)
// using tweetnacl's secretbox and node's scrypt, as an independent implementation of the format.
const nacl = require('tweetnacl');
const crypto = require('crypto');
const fs = require('fs');
const pass = process.argv[2];
const out = process.argv[3];
const { privateKey, publicKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
const pkcs8 = privateKey.export({ type: 'pkcs8', format: 'der' });
const salt = crypto.randomBytes(32);
const nonce = crypto.randomBytes(24);
const key = crypto.scryptSync(Buffer.from(pass, 'utf8'), salt, 32, { N: 32768, r: 8, p: 1, maxmem: 64 * 1024 * 1024 });
const box = nacl.secretbox(new Uint8Array(pkcs8), new Uint8Array(nonce), new Uint8Array(key));
const json = JSON.stringify({
  kdf: { name: 'scrypt', params: { N: 32768, r: 8, p: 1 }, salt: salt.toString('base64') },
  cipher: { name: 'nacl/secretbox', nonce: nonce.toString('base64') },
  ciphertext: Buffer.from(box).toString('base64'),
});
const b64 = Buffer.from(json).toString('base64').match(/.{1,64}/g).join('\n');
fs.writeFileSync(out + '.key', '-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----\n' + b64 + '\n-----END ENCRYPTED SIGSTORE PRIVATE KEY-----\n');
fs.writeFileSync(out + '.pub', publicKey.export({ type: 'spki', format: 'pem' }));
