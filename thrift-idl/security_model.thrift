/* Airavata's AuthzToken: the first argument of every API-server style method. */
namespace java org.apache.airavata.model.security
namespace py airavata.model.security

struct AuthzToken {
  1: required string accessToken,
  2: optional map<string, string> claimsMap
}
