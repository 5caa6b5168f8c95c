//! Decryption of password-encrypted OOXML packages ([MS-OFFCRYPTO] 2.3.4).
//!
//! An encrypted `.docx`/`.xlsm`/... is a compound file holding an `EncryptionInfo` stream and
//! an `EncryptedPackage` stream (2.3.4.4); the package, once decrypted, is the ordinary OOXML
//! ZIP. Two schemes are read:
//!
//! - **Standard encryption** (2.3.4.5 EncryptionInfo version 2/3/4 . 2, 2.3.4.6 EncryptionHeader
//!   and EncryptionVerifier): AES-128/192/256 (AlgID 0x660E/0x660F/0x6610), SHA-1. Key: 2.3.4.7
//!   (H0 = SHA1(salt + password), 50,000 rounds of SHA1(i + H), SHA1(H + block 0), then the
//!   0x36 / 0x5C derivation); password check: 2.3.4.9 (the SHA-1 of the decrypted verifier must
//!   equal the decrypted verifier hash); package: 2.3.4.8, AES-ECB after a u64 StreamSize.
//! - **Agile encryption** (2.3.4.10 EncryptionInfo version 4.4 with an XML descriptor): the
//!   password key encryptor (2.3.4.11 key derivation with `spinCount` rounds and a block key,
//!   2.3.4.12 verifier hash input/value check, 2.3.4.13 intermediate key), then the package in
//!   4096-byte segments, AES-CBC with IV = H(keyData salt + segment index) (2.3.4.15). SHA-1,
//!   SHA-256, SHA-384 and SHA-512 are supported. `dataIntegrity` (2.3.4.14, an HMAC over the
//!   encrypted package) is not verified: a tampered package only decrypts to garbage, which the
//!   ZIP reader then reports.
//!
//! Not supported (reported as encrypted): Extensible encryption (2.3.4.6 with fExternal),
//! RC4 CryptoAPI in OOXML containers (AlgID 0x6801), Agile certificate key encryptors,
//! ciphers other than AES, CFB chaining.
//!
//! Cost: one password trial is one key derivation (50,000 SHA-1 rounds for Standard,
//! `spinCount` rounds of the descriptor's hash for Agile, 100,000 SHA-512 in Office 2010+).
//! `spinCount` above [`MAX_SPIN`] is refused; the caller bounds the number of trials.
//! Measured (2-vCPU AMD EPYC KVM guest, 2026-11-23, `examples/bench_time`): Agile SHA-512 x
//! 100,000 about 26-28 ms per trial natively (release), Standard (50,000 SHA-1, SHA-NI) about
//! 5 ms. Both run on the hash's compression function ([`spin_blocks`]), at its own speed.
//!
//! Everything here is pure: no findings, no budgets; `office::check_encryption` decides.

use aes::cipher::{BlockCipherDecrypt, KeyInit};
use sha1::Digest as _;

/// Largest Agile `spinCount` accepted (Office writes 100,000).
pub const MAX_SPIN: u32 = 10_000_000;
/// Standard encryption's fixed iteration count (2.3.4.7).
const STANDARD_SPIN: u32 = 50_000;
/// Agile package segment length (2.3.4.15).
const SEGMENT: usize = 4096;
/// Largest XML descriptor read (real ones are about 1 KB).
const MAX_XML: usize = 64 << 10;

const BLOCK_VERIFIER_INPUT: [u8; 8] = [0xfe, 0xa7, 0xd2, 0x76, 0x3b, 0x4b, 0x9e, 0x79];
const BLOCK_VERIFIER_VALUE: [u8; 8] = [0xd7, 0xaa, 0x0f, 0x6d, 0x30, 0x61, 0x34, 0x4e];
const BLOCK_KEY: [u8; 8] = [0x14, 0x6e, 0x0b, 0xe7, 0xab, 0xac, 0xd0, 0xd6];

// ---------------------------------------------------------------- hashes

/// The hash algorithms of [MS-OFFCRYPTO] 2.3.4.10 `hashAlgorithm` that are supported.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HashAlg {
    Sha1,
    Sha256,
    Sha384,
    Sha512,
}

impl HashAlg {
    fn from_name(s: &str) -> Option<HashAlg> {
        match s.to_ascii_uppercase().replace('-', "").as_str() {
            "SHA1" => Some(HashAlg::Sha1),
            "SHA256" => Some(HashAlg::Sha256),
            "SHA384" => Some(HashAlg::Sha384),
            "SHA512" => Some(HashAlg::Sha512),
            _ => None,
        }
    }

    pub fn len(self) -> usize {
        match self {
            HashAlg::Sha1 => 20,
            HashAlg::Sha256 => 32,
            HashAlg::Sha384 => 48,
            HashAlg::Sha512 => 64,
        }
    }

    /// The hash of the concatenation of `parts`.
    pub fn hash(self, parts: &[&[u8]]) -> Vec<u8> {
        fn h10<D: sha2::Digest>(parts: &[&[u8]]) -> Vec<u8> {
            let mut d = D::new();
            for p in parts {
                d.update(p);
            }
            d.finalize().to_vec()
        }
        match self {
            HashAlg::Sha1 => {
                let mut d = sha1::Sha1::new();
                for p in parts {
                    d.update(p);
                }
                d.finalize().to_vec()
            }
            HashAlg::Sha256 => h10::<sha2::Sha256>(parts),
            HashAlg::Sha384 => h10::<sha2::Sha384>(parts),
            HashAlg::Sha512 => h10::<sha2::Sha512>(parts),
        }
    }

    /// H0 = H(salt + password), then `count` rounds of Hn = H(n as u32 LE + Hn-1)
    /// (2.3.4.7 and 2.3.4.11 share this loop).
    pub fn spin(self, salt: &[u8], password: &[u8], count: u32) -> Vec<u8> {
        let mut h = self.hash(&[salt, password]);
        match self {
            HashAlg::Sha1 => spin_blocks(&mut h, count, SHA1_IV, sha1::block_api::compress),
            HashAlg::Sha256 => spin_blocks(&mut h, count, SHA256_IV, sha2::block_api::compress256),
            HashAlg::Sha384 => spin_blocks(&mut h, count, SHA384_IV, sha2::block_api::compress512),
            HashAlg::Sha512 => spin_blocks(&mut h, count, SHA512_IV, sha2::block_api::compress512),
        }
        h
    }
}

// Initial hash values: FIPS 180-4 5.3.1 (SHA-1), 5.3.3 (SHA-256), 5.3.4 (SHA-384), 5.3.5
// (SHA-512). `block_spin_equals_the_streaming_spin` checks them against the hashers.
const SHA1_IV: [u32; 5] = [0x6745_2301, 0xEFCD_AB89, 0x98BA_DCFE, 0x1032_5476, 0xC3D2_E1F0];
const SHA256_IV: [u32; 8] = [
    0x6a09_e667,
    0xbb67_ae85,
    0x3c6e_f372,
    0xa54f_f53a,
    0x510e_527f,
    0x9b05_688c,
    0x1f83_d9ab,
    0x5be0_cd19,
];
const SHA384_IV: [u64; 8] = [
    0xcbbb_9d5d_c105_9ed8,
    0x629a_292a_367c_d507,
    0x9159_015a_3070_dd17,
    0x152f_ecd8_f70e_5939,
    0x6733_2667_ffc0_0b31,
    0x8eb4_4a87_6858_1511,
    0xdb0c_2e0d_64f9_8fa7,
    0x47b5_481d_befa_4fa4,
];
const SHA512_IV: [u64; 8] = [
    0x6a09_e667_f3bc_c908,
    0xbb67_ae85_84ca_a73b,
    0x3c6e_f372_fe94_f82b,
    0xa54f_f53a_5f1d_36f1,
    0x510e_527f_ade6_82d1,
    0x9b05_688c_2b3e_6c1f,
    0x1f83_d9ab_fb41_bd6b,
    0x5be0_cd19_137e_2179,
];

/// A hash state word, written big-endian into the next round's message.
trait Word: Copy {
    const BYTES: usize;
    fn put_be(self, dst: &mut [u8]);
}
impl Word for u32 {
    const BYTES: usize = 4;
    fn put_be(self, dst: &mut [u8]) {
        if let Ok(d) = <&mut [u8; 4]>::try_from(dst) {
            *d = self.to_be_bytes();
        }
    }
}
impl Word for u64 {
    const BYTES: usize = 8;
    fn put_be(self, dst: &mut [u8]) {
        if let Ok(d) = <&mut [u8; 8]>::try_from(dst) {
            *d = self.to_be_bytes();
        }
    }
}

/// The spin rounds on the hash's compression function. Each round hashes `i (4 bytes LE) || H`
/// (24 bytes for SHA-1 up to 68 for SHA-512), always one block whose padding (0x80 after the
/// message, the bit length in the last 8 bytes; FIPS 180-4 5.1) never changes, so the block is
/// built once and only `i` and `H` are rewritten; the digest is the first `H.len()` bytes of the
/// state (SHA-384 drops the last two words). `h` is H0 on entry and the last H on return.
fn spin_blocks<W: Word, const N: usize, const B: usize>(
    h: &mut [u8],
    count: u32,
    iv: [W; N],
    compress: impl Fn(&mut [W; N], &[[u8; B]]),
) {
    let len = h.len();
    let mut block = [0u8; B];
    put(&mut block, 4, h);
    put(&mut block, len.saturating_add(4), &[0x80]);
    let bits = (len as u64).saturating_add(4).saturating_mul(8);
    put(&mut block, B.saturating_sub(8), &bits.to_be_bytes());
    for i in 0..count {
        put(&mut block, 0, &i.to_le_bytes());
        let mut st = iv;
        compress(&mut st, core::slice::from_ref(&block));
        let words = block.get_mut(4..len.saturating_add(4)).unwrap_or_default();
        for (w, dst) in st.iter().zip(words.chunks_mut(W::BYTES)) {
            w.put_be(dst);
        }
    }
    put(h, 0, block.get(4..len.saturating_add(4)).unwrap_or_default());
}

/// Copy `src` into `dst` at `at` (as much as fits).
fn put(dst: &mut [u8], at: usize, src: &[u8]) {
    for (d, s) in dst.iter_mut().skip(at).zip(src) {
        *d = *s;
    }
}

/// A password as Office hashes it: UTF-16LE, no terminator.
pub fn utf16le(s: &str) -> Vec<u8> {
    s.encode_utf16().flat_map(|u| u.to_le_bytes()).collect()
}

// ---------------------------------------------------------------- AES

/// An AES key schedule of any of the three sizes.
pub enum Aes {
    A128(aes::Aes128),
    A192(aes::Aes192),
    A256(aes::Aes256),
}

impl Aes {
    pub fn new(key: &[u8]) -> Option<Aes> {
        match key.len() {
            16 => aes::Aes128::new_from_slice(key).ok().map(Aes::A128),
            24 => aes::Aes192::new_from_slice(key).ok().map(Aes::A192),
            32 => aes::Aes256::new_from_slice(key).ok().map(Aes::A256),
            _ => None,
        }
    }

    fn decrypt_blocks(&self, blocks: &mut [aes::Block]) {
        match self {
            Aes::A128(c) => c.decrypt_blocks(blocks),
            Aes::A192(c) => c.decrypt_blocks(blocks),
            Aes::A256(c) => c.decrypt_blocks(blocks),
        }
    }

    /// ECB decryption in place of the whole 16-byte blocks of `data` (a trailing partial block
    /// is left as it is; callers truncate it away).
    pub fn ecb_decrypt(&self, data: &mut [u8]) {
        let (blocks, _) = aes::Block::slice_as_chunks_mut(data);
        self.decrypt_blocks(blocks);
    }

    /// CBC decryption in place of the whole 16-byte blocks of `data`.
    pub fn cbc_decrypt(&self, iv: &[u8; 16], data: &mut [u8]) {
        let (blocks, _) = aes::Block::slice_as_chunks_mut(data);
        let mut prev = *iv;
        for b in blocks {
            let mut cipher = [0u8; 16];
            cipher.copy_from_slice(b.as_slice());
            self.decrypt_blocks(std::slice::from_mut(b));
            for (x, p) in b.iter_mut().zip(prev.iter()) {
                *x ^= p;
            }
            prev = cipher;
        }
    }
}

/// `v` cut or padded with 0x36 to `len` bytes (2.3.4.11 and 2.3.4.12).
fn fit(mut v: Vec<u8>, len: usize) -> Vec<u8> {
    v.resize(len, 0x36);
    v
}

fn iv16(v: &[u8]) -> [u8; 16] {
    let mut iv = [0x36u8; 16];
    for (d, s) in iv.iter_mut().zip(v) {
        *d = *s;
    }
    iv
}

// ---------------------------------------------------------------- EncryptionInfo

/// Standard encryption parameters (2.3.4.6).
#[derive(Debug, Clone)]
pub struct Standard {
    /// Key length in bytes (16, 24 or 32).
    pub key_len: usize,
    pub salt: Vec<u8>,
    pub encrypted_verifier: [u8; 16],
    pub verifier_hash_size: usize,
    pub encrypted_verifier_hash: Vec<u8>,
}

/// One side of the Agile descriptor: `keyData`, or the password `encryptedKey` (2.3.4.10).
#[derive(Debug, Clone)]
pub struct AgileParams {
    pub salt: Vec<u8>,
    pub key_bits: usize,
    pub hash: HashAlg,
}

/// Agile encryption parameters (2.3.4.10).
#[derive(Debug, Clone)]
pub struct Agile {
    pub key_data: AgileParams,
    pub password: AgileParams,
    pub spin_count: u32,
    pub encrypted_verifier_hash_input: Vec<u8>,
    pub encrypted_verifier_hash_value: Vec<u8>,
    pub encrypted_key_value: Vec<u8>,
}

#[derive(Debug, Clone)]
pub enum Info {
    Standard(Standard),
    Agile(Agile),
}

/// Why a package cannot be decrypted whatever the password.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InfoError {
    /// A scheme or algorithm this reader does not implement.
    Unsupported(String),
    /// The EncryptionInfo stream is damaged.
    Malformed(String),
}

/// The scheme named by the EncryptionInfo version (2.3.4.5, 2.3.4.10, 2.3.4.6 fExternal).
pub fn scheme_name(info: &[u8]) -> &'static str {
    match info.first_chunk::<4>().map(|&[a, b, c, d]| (a, b, c, d)) {
        Some((4, 0, 4, 0)) => "Agile encryption",
        Some((2..=4, 0, 2, 0)) => "Standard encryption",
        Some((3 | 4, 0, 3, 0)) => "Extensible encryption",
        _ => "unknown encryption",
    }
}

fn u32_at(b: &[u8], off: usize) -> Option<u32> {
    crate::bytes::u32_le(b, off)
}

/// Parse an EncryptionInfo stream.
pub fn parse_info(info: &[u8]) -> Result<Info, InfoError> {
    let bad = |s: &str| InfoError::Malformed(s.to_string());
    let major = info
        .get(0..2)
        .map(|b| u16::from_le_bytes(crate::bytes::pad::<2>(b)))
        .ok_or_else(|| bad("EncryptionInfo too short"))?;
    let minor = info
        .get(2..4)
        .map(|b| u16::from_le_bytes(crate::bytes::pad::<2>(b)))
        .ok_or_else(|| bad("EncryptionInfo too short"))?;
    match (major, minor) {
        (4, 4) => parse_agile(info.get(8..).unwrap_or(&[])).map(Info::Agile),
        (2..=4, 2) => parse_standard(info).map(Info::Standard),
        (3 | 4, 3) => Err(InfoError::Unsupported("Extensible encryption".into())),
        _ => Err(InfoError::Unsupported(format!(
            "EncryptionInfo version {major}.{minor}"
        ))),
    }
}

fn parse_standard(info: &[u8]) -> Result<Standard, InfoError> {
    let bad = |s: &str| InfoError::Malformed(format!("Standard EncryptionInfo: {s}"));
    let flags = u32_at(info, 4).ok_or_else(|| bad("truncated"))?;
    if flags & 0x10 != 0 {
        return Err(InfoError::Unsupported(
            "Extensible encryption (fExternal)".into(),
        ));
    }
    let header_size = u32_at(info, 8).ok_or_else(|| bad("truncated"))? as usize;
    let header_end = 12usize
        .checked_add(header_size)
        .ok_or_else(|| bad("header size"))?;
    let header = info
        .get(12..header_end)
        .ok_or_else(|| bad("header runs past the stream"))?;
    let alg = u32_at(header, 8).ok_or_else(|| bad("header too short"))?;
    let alg_hash = u32_at(header, 12).ok_or_else(|| bad("header too short"))?;
    let key_bits = u32_at(header, 16).ok_or_else(|| bad("header too short"))?;
    let key_len = match (alg, key_bits) {
        (0x660E, 128) => 16,
        (0x660F, 192) => 24,
        (0x6610, 256) => 32,
        (0x6801, _) => return Err(InfoError::Unsupported("RC4 CryptoAPI encryption".into())),
        _ => {
            return Err(InfoError::Unsupported(format!(
                "algorithm 0x{alg:04X} with a {key_bits}-bit key"
            )))
        }
    };
    if alg_hash != 0x8004 && alg_hash != 0 {
        return Err(InfoError::Unsupported(format!(
            "hash algorithm 0x{alg_hash:04X}"
        )));
    }
    let v = info.get(header_end..).ok_or_else(|| bad("no verifier"))?;
    let salt_size = u32_at(v, 0).ok_or_else(|| bad("verifier truncated"))? as usize;
    if salt_size != 16 {
        return Err(bad("salt size is not 16"));
    }
    let salt = v
        .get(4..20)
        .ok_or_else(|| bad("verifier truncated"))?
        .to_vec();
    let mut encrypted_verifier = [0u8; 16];
    encrypted_verifier.copy_from_slice(v.get(20..36).ok_or_else(|| bad("verifier truncated"))?);
    let verifier_hash_size = u32_at(v, 36).ok_or_else(|| bad("verifier truncated"))? as usize;
    if verifier_hash_size != 20 {
        return Err(bad("verifier hash size is not 20"));
    }
    let encrypted_verifier_hash = v
        .get(40..72)
        .ok_or_else(|| bad("verifier hash truncated"))?
        .to_vec();
    Ok(Standard {
        key_len,
        salt,
        encrypted_verifier,
        verifier_hash_size,
        encrypted_verifier_hash,
    })
}

fn parse_agile(xml_bytes: &[u8]) -> Result<Agile, InfoError> {
    let bad = |s: String| InfoError::Malformed(format!("Agile encryption descriptor: {s}"));
    let xml = super::xml::text(xml_bytes.get(..MAX_XML.min(xml_bytes.len())).unwrap_or(&[]));
    let key_data = super::xml::elements(&xml, "keyData");
    let key_data = key_data.first().ok_or_else(|| bad("no keyData".into()))?;
    // The password key encryptor is the `encryptedKey` element carrying a spinCount
    // (certificate key encryptors have none).
    let keys = super::xml::elements(&xml, "encryptedKey");
    if keys.is_empty() {
        return Err(bad("no key encryptor".into()));
    }
    let Some(pw) = keys
        .iter()
        .find(|a| super::xml::attr(a, "spinCount").is_some())
    else {
        return Err(InfoError::Unsupported("certificate key encryptor".into()));
    };
    let get = |a: &[(String, String)], n: &str| -> Result<String, InfoError> {
        super::xml::attr(a, n)
            .map(str::to_string)
            .ok_or_else(|| bad(format!("attribute {n} missing")))
    };
    let num = |a: &[(String, String)], n: &str| -> Result<u64, InfoError> {
        get(a, n)?
            .trim()
            .parse::<u64>()
            .map_err(|_| bad(format!("attribute {n} is not a number")))
    };
    let b64 = |a: &[(String, String)], n: &str| -> Result<Vec<u8>, InfoError> {
        crate::bytes::base64(get(a, n)?.as_bytes(), crate::bytes::Base64Other::Reject)
            .ok_or_else(|| bad(format!("attribute {n} is not base64")))
    };
    let params = |a: &[(String, String)]| -> Result<AgileParams, InfoError> {
        let cipher = get(a, "cipherAlgorithm")?;
        if !cipher.eq_ignore_ascii_case("AES") {
            return Err(InfoError::Unsupported(format!("cipher {cipher}")));
        }
        let chaining = get(a, "cipherChaining")?;
        if !chaining.eq_ignore_ascii_case("ChainingModeCBC") {
            return Err(InfoError::Unsupported(format!(
                "cipher chaining {chaining}"
            )));
        }
        let hname = get(a, "hashAlgorithm")?;
        let hash = HashAlg::from_name(&hname)
            .ok_or_else(|| InfoError::Unsupported(format!("hash {hname}")))?;
        let block_size = num(a, "blockSize")?;
        if block_size != 16 {
            return Err(bad(format!("AES block size {block_size}")));
        }
        let key_bits = num(a, "keyBits")?;
        if !matches!(key_bits, 128 | 192 | 256) {
            return Err(bad(format!("AES key of {key_bits} bits")));
        }
        if let Ok(hs) = num(a, "hashSize") {
            if hs != hash.len() as u64 {
                return Err(bad(format!("hashSize {hs} does not match {hname}")));
            }
        }
        let salt = b64(a, "saltValue")?;
        if salt.is_empty() || salt.len() > 64 {
            return Err(bad(format!("salt of {} bytes", salt.len())));
        }
        Ok(AgileParams {
            salt,
            // 128, 192 or 256 (checked above).
            key_bits: usize::try_from(key_bits).unwrap_or(0),
            hash,
        })
    };
    let kd = params(key_data)?;
    let pwp = params(pw)?;
    let spin = num(pw, "spinCount")?;
    if spin > MAX_SPIN as u64 {
        return Err(InfoError::Unsupported(format!(
            "spinCount {spin} over the limit of {MAX_SPIN}"
        )));
    }
    let a = Agile {
        key_data: kd,
        password: pwp,
        // At most MAX_SPIN (checked above).
        spin_count: u32::try_from(spin).unwrap_or(MAX_SPIN),
        encrypted_verifier_hash_input: b64(pw, "encryptedVerifierHashInput")?,
        encrypted_verifier_hash_value: b64(pw, "encryptedVerifierHashValue")?,
        encrypted_key_value: b64(pw, "encryptedKeyValue")?,
    };
    for (n, v) in [
        (
            "encryptedVerifierHashInput",
            &a.encrypted_verifier_hash_input,
        ),
        (
            "encryptedVerifierHashValue",
            &a.encrypted_verifier_hash_value,
        ),
        ("encryptedKeyValue", &a.encrypted_key_value),
    ] {
        if v.is_empty() || v.len() % 16 != 0 || v.len() > 1024 {
            return Err(bad(format!("{n} of {} bytes", v.len())));
        }
    }
    Ok(a)
}

// ---------------------------------------------------------------- keys

/// The key that decrypts the package, once a password verified.
pub struct Key {
    aes: Aes,
}

impl Info {
    /// Hash rounds one password trial costs.
    pub fn trial_cost(&self) -> u32 {
        match self {
            Info::Standard(_) => STANDARD_SPIN,
            Info::Agile(a) => a.spin_count,
        }
    }

    /// The package key if `password` is the right one (checked with the verifier first).
    pub fn try_password(&self, password: &str) -> Option<Key> {
        match self {
            Info::Standard(s) => standard_key(s, password),
            Info::Agile(a) => agile_key(a, password),
        }
    }

    /// Decrypt the EncryptedPackage stream with `key`. The StreamSize at its start is capped by
    /// the stream itself and by `max`; `Err` says why nothing was decrypted, `Ok((data, short))`
    /// carries `short = true` when the stream held less than its StreamSize declares.
    pub fn decrypt_package(
        &self,
        key: &Key,
        pkg: &[u8],
        max: u64,
    ) -> Result<(Vec<u8>, bool), PackageError> {
        let declared = pkg
            .get(0..8)
            .map(|b| u64::from_le_bytes(crate::bytes::pad::<8>(b)))
            .ok_or(PackageError::Malformed(
                "EncryptedPackage shorter than its size field".into(),
            ))?;
        if declared > max {
            return Err(PackageError::TooLarge(declared));
        }
        let body = pkg.get(8..).unwrap_or(&[]);
        // Whole blocks only: the cipher text is padded to the block size.
        let have = body.len().saturating_sub(body.len() % 16);
        let want = usize::try_from(declared).unwrap_or(usize::MAX);
        let short = have < want;
        let take = have.min(
            want.checked_add(15)
                .map(|w| w.saturating_sub(w % 16))
                .unwrap_or(have),
        );
        let mut out = body.get(..take).unwrap_or(&[]).to_vec();
        match self {
            Info::Standard(_) => key.aes.ecb_decrypt(&mut out),
            Info::Agile(a) => {
                for (i, seg) in out.chunks_mut(SEGMENT).enumerate() {
                    let idx = u32::try_from(i).unwrap_or(u32::MAX).to_le_bytes();
                    let iv = iv16(&a.key_data.hash.hash(&[&a.key_data.salt, &idx]));
                    key.aes.cbc_decrypt(&iv, seg);
                }
            }
        }
        out.truncate(want);
        Ok((out, short))
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PackageError {
    /// StreamSize over the budget.
    TooLarge(u64),
    Malformed(String),
}

/// 2.3.4.7 key derivation and 2.3.4.9 verification.
fn standard_key(s: &Standard, password: &str) -> Option<Key> {
    let h = HashAlg::Sha1.spin(&s.salt, &utf16le(password), STANDARD_SPIN);
    let hfinal = HashAlg::Sha1.hash(&[&h, &0u32.to_le_bytes()]);
    let mut b1 = [0x36u8; 64];
    let mut b2 = [0x5Cu8; 64];
    for (i, x) in hfinal.iter().enumerate() {
        if let (Some(a), Some(b)) = (b1.get_mut(i), b2.get_mut(i)) {
            *a ^= x;
            *b ^= x;
        }
    }
    let mut x3 = HashAlg::Sha1.hash(&[&b1]);
    x3.extend(HashAlg::Sha1.hash(&[&b2]));
    let aes = Aes::new(x3.get(..s.key_len)?)?;
    let mut verifier = s.encrypted_verifier;
    aes.ecb_decrypt(&mut verifier);
    let mut vhash = s.encrypted_verifier_hash.clone();
    aes.ecb_decrypt(&mut vhash);
    let expect = HashAlg::Sha1.hash(&[&verifier]);
    (vhash.get(..s.verifier_hash_size)? == expect.as_slice()).then_some(Key { aes })
}

/// 2.3.4.11 – 2.3.4.13: one spin, three block keys.
fn agile_key(a: &Agile, password: &str) -> Option<Key> {
    let p = &a.password;
    let h = p.hash.spin(&p.salt, &utf16le(password), a.spin_count);
    let key_len = p.key_bits / 8;
    let derive = |block: &[u8]| Aes::new(&fit(p.hash.hash(&[&h, block]), key_len));
    let iv = iv16(&p.salt);

    let mut input = a.encrypted_verifier_hash_input.clone();
    derive(&BLOCK_VERIFIER_INPUT)?.cbc_decrypt(&iv, &mut input);
    let mut value = a.encrypted_verifier_hash_value.clone();
    derive(&BLOCK_VERIFIER_VALUE)?.cbc_decrypt(&iv, &mut value);
    let input = input.get(..p.salt.len())?;
    let expect = p.hash.hash(&[input]);
    if value.get(..p.hash.len())? != expect.as_slice() {
        return None;
    }
    let mut secret = a.encrypted_key_value.clone();
    derive(&BLOCK_KEY)?.cbc_decrypt(&iv, &mut secret);
    let aes = Aes::new(secret.get(..a.key_data.key_bits / 8)?)?;
    Some(Key { aes })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(s: &str) -> Vec<u8> {
        (0..s.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
            .collect()
    }

    #[test]
    fn aes_fips197_vectors() {
        // FIPS-197 appendix C.1 / C.3.
        let pt = hex("00112233445566778899aabbccddeeff");
        let mut ct = hex("69c4e0d86a7b0430d8cdb78070b4c55a");
        Aes::new(&hex("000102030405060708090a0b0c0d0e0f"))
            .unwrap()
            .ecb_decrypt(&mut ct);
        assert_eq!(ct, pt);
        let mut ct = hex("8ea2b7ca516745bfeafc49904b496089");
        Aes::new(&hex(
            "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f",
        ))
        .unwrap()
        .ecb_decrypt(&mut ct);
        assert_eq!(ct, pt);
    }

    #[test]
    fn cbc_sp800_38a_vector() {
        // NIST SP 800-38A F.2.2 CBC-AES128.Decrypt, first two blocks.
        let key = hex("2b7e151628aed2a6abf7158809cf4f3c");
        let mut iv = [0u8; 16];
        iv.copy_from_slice(&hex("000102030405060708090a0b0c0d0e0f"));
        let mut ct = hex("7649abac8119b246cee98e9b12e9197d5086cb9b507219ee95db113a917678b2");
        Aes::new(&key).unwrap().cbc_decrypt(&iv, &mut ct);
        assert_eq!(
            ct,
            hex("6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51")
        );
    }

    /// The spin loop as the specification writes it, with the streaming hasher.
    fn spin_reference(alg: HashAlg, salt: &[u8], password: &[u8], count: u32) -> Vec<u8> {
        let mut h = alg.hash(&[salt, password]);
        for i in 0..count {
            h = alg.hash(&[&i.to_le_bytes(), &h]);
        }
        h
    }

    #[test]
    fn block_spin_equals_the_streaming_spin() {
        for alg in [
            HashAlg::Sha1,
            HashAlg::Sha256,
            HashAlg::Sha384,
            HashAlg::Sha512,
        ] {
            for count in [0u32, 1, 2, 3, 255, 256, 257, 5000] {
                assert_eq!(
                    alg.spin(b"0123456789abcdef", &utf16le("VelvetSweatshop"), count),
                    spin_reference(alg, b"0123456789abcdef", &utf16le("VelvetSweatshop"), count),
                    "{alg:?} {count}"
                );
            }
        }
    }

    #[test]
    fn hashes_and_base64() {
        assert_eq!(
            HashAlg::Sha1.hash(&[b"a", b"bc"]),
            hex("a9993e364706816aba3e25717850c26c9cd0d89d")
        );
        assert_eq!(HashAlg::Sha512.hash(&[b"abc"]).len(), 64);
        // spin(0) is H(salt + password).
        assert_eq!(
            HashAlg::Sha256.spin(b"ab", b"c", 0),
            HashAlg::Sha256.hash(&[b"abc"])
        );
        assert_eq!(
            crate::bytes::base64(b"TWFu\r\nTWE=", crate::bytes::Base64Other::Reject).unwrap(),
            b"ManMa"
        );
        assert_eq!(
            crate::bytes::base64(
                b"AAAAAAAAAAAAAAAAAAAAAA==",
                crate::bytes::Base64Other::Reject
            )
            .unwrap(),
            vec![0u8; 16]
        );
        assert!(crate::bytes::base64(b"a$b", crate::bytes::Base64Other::Reject).is_none());
        assert_eq!(utf16le("Aあ"), vec![0x41, 0, 0x42, 0x30]);
    }

    #[test]
    fn hostile_info_never_panics() {
        let mut rnd = crate::testing::xorshift(0x2545_F491_4F6C_DD1D);
        for round in 0..2000 {
            let len = (rnd() % 300) as usize;
            let mut b: Vec<u8> = (0..len).map(|_| rnd() as u8).collect();
            if b.len() >= 4 {
                let v: [u8; 4] = match round % 3 {
                    0 => [4, 0, 4, 0],
                    1 => [3, 0, 2, 0],
                    _ => [4, 0, 3, 0],
                };
                b[..4].copy_from_slice(&v);
            }
            let _ = parse_info(&b);
            let _ = scheme_name(&b);
        }
        // Missing / absurd attributes in a descriptor.
        let x = br#"<encryption><keyData saltSize="16" blockSize="16" keyBits="256" hashSize="64" cipherAlgorithm="AES" cipherChaining="ChainingModeCBC" hashAlgorithm="SHA512" saltValue="AAAAAAAAAAAAAAAAAAAAAA=="/><keyEncryptors><keyEncryptor><p:encryptedKey spinCount="4000000000" saltSize="16" blockSize="16" keyBits="256" hashSize="64" cipherAlgorithm="AES" cipherChaining="ChainingModeCBC" hashAlgorithm="SHA512" saltValue="AAAAAAAAAAAAAAAAAAAAAA==" encryptedVerifierHashInput="AAAAAAAAAAAAAAAAAAAAAA==" encryptedVerifierHashValue="AAAAAAAAAAAAAAAAAAAAAA==" encryptedKeyValue="AAAAAAAAAAAAAAAAAAAAAA=="/></keyEncryptor></keyEncryptors></encryption>"#;
        let mut info = vec![4, 0, 4, 0, 0x40, 0, 0, 0];
        info.extend_from_slice(x);
        assert!(
            matches!(parse_info(&info), Err(InfoError::Unsupported(s)) if s.contains("spinCount"))
        );
        let small = String::from_utf8_lossy(&info).replace("4000000000", "10");
        let parsed = parse_info(small.as_bytes()).unwrap();
        assert!(parsed.try_password("x").is_none());
        let key = Key {
            aes: Aes::new(&[0u8; 32]).unwrap(),
        };
        // StreamSize larger than the budget: refused before any allocation.
        assert_eq!(
            parsed.decrypt_package(&key, &u64::MAX.to_le_bytes(), 1 << 20),
            Err(PackageError::TooLarge(u64::MAX))
        );
        let (d, short) = parsed
            .decrypt_package(&key, &[100, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3], 1 << 20)
            .unwrap();
        assert!(d.is_empty() && short);
    }
}
