//! Keys shared by the core's unit tests.

/// The RSA-2048 key of Quay's golden vectors (`quay-golden/test_rsa_key.jwk.json`), which
/// signed every signed golden record, as PKCS#8 DER in standard base64 (converted with
/// Python's `cryptography`).
pub const QUAY_RSA_PKCS8_B64: &str = concat!(
    "MIIEvgIBADANBgkqhkiG9w0BAQEFAASCBKgwggSkAgEAAoIBAQDSgmv8WGgqNGHJPMDoWL4deldhaidm+J2AEEKJEmJTVlhK",
    "2WdJuoKs/QwXkwAP3IC8h8Rjz5q9tx6vuCkaDGQzqwIkxZlX+jtASpsGZIXeIV8dmlXHVbhhZs8/AwhdxTeaxO2qxcHUETkQ",
    "f9DiAA/v73QBKxSyiHFxyCfQWzay+9yj9fqHW09Oc+mskxKwBHfIDqGyIg066MYzHfdgCzP0rjq4Q2QXPmcv5haTwugcNFR2",
    "mmqQBFgfIbBA+6XhxMlXfkCyIhgfXNEhZDyrXWGldESYG4HwWNSey4TtdH9aW9pe7m7lqeh3/yFeCKzRiqumIGEi/AzRbYry",
    "01zKsZd/AgMBAAECggEAA2BFwvjJ/8Sc9mvdn+4Ya1i4AQnIhMSGvwJR+KGUkgCWHSL4rQqHxInpuh9IlM3frZEI9jl/TPzV",
    "O+DFK/sNczvLJp5g4gkogKn1Mtv996BrRnwZHGpZzX2nOVhtYjMp5qGWrDKh144eC6vcqAXldG0IhtsooabQNS0ciz2fssl1",
    "BstOpHcq/uv6jAuG2dfQzzY4q6SUiIGYvkF8QBEtBhsUlQ8GZlT3F2CUSwz1Ofb0r70FpIdditPLKqle4e+Pn484R2Mr3T6H",
    "9vHbzhED+D8Ik0mdL5ck0Q1PuSIU4xyoz2S6fpM3V10W7jg+im1N7/cZ5pipyS/IckPyKAgd/QKBgQD9SmxFRxSQZRdMYVQh",
    "64OIbFrENihSzYIYOO1aYHByWRM2KCQ32Qb88EeAVIfFjudKX8AqAgxtVE+krpcmK2SynoganPf8XuaxcZPQvTGhAvtdSIns",
    "7+UZuJMalKujdF2ly0Az4k7bh7vEZEXkSO0TqJXvS+yglDWzl0KmSHkS0wKBgQDUwto8L+iy2MdNp/Hgq39ozyGXuPfN8hJU",
    "+hELCUwk2JDnmVnhzR0TGrEAjvNnxS6ENAQX04f+020CB5QlRnibU+E6YXP0mVqr/9rLINXjGlwEVq4/eWxkQ61r++z/D1Vh",
    "QhO3TlX4N1HWd1R61d0B+FXalDMexJwadiPbywVFJQKBgDmXE1kJGVbfdVWrh4qS1vxMzrJwMejpyxugze7PoKGPOTwGEn4U",
    "PW+DXm6CScCUhmg1ryaeAp9VHSqve7R1B1dJjl6mtAfQuBk+XsKGUeNvHyINnTafMPMRMXlItmHa0nQg638ghJeLnBjCR9Xo",
    "8uaWXUjkdW/pYvBrgv712Xl7AoGBAKIsC/DIi9SXDAOTOfkIf8tB5tchNDGUjIidO5Rv98w2Du2ZpDtK/xhqxfQpAjtcv0Ih",
    "6+TFZenE+lgLss5e0tuCqjC3y4zrv4NPOFSQqLe8hdsAvzy+rvIV7ABdPJ6F74x8s06LtVfHwud4ebpPfXBc/APp5rVTI7G/",
    "z0FflJrJAoGBAM/s6YCDUVDioQVQmaSZa7gbR+T+c+4aNxrzQhvzkqEcxK0MzSUve4NqNFlEZW8Cg3rOSVSoe7JjpeoD7L1c",
    "wuwCXVl1Vh04Kil/eIH2rpamY4sNSG3PzyYLgb3iSLu3HSlgLMLRxt4OfPHy21BVtzirZJuoKEyPPT4K0azDK5sq",
);
