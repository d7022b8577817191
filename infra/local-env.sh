# shellcheck shell=bash
# Exports the development secrets written once in infra/local.env (JWT, service credentials, Redis
# password), for a local run only: each one already set in the environment wins. Sourced by
# ./seckill and by the bench scripts' lib.sh; redis-cli then reads the password from REDISCLI_AUTH,
# so it never shows in `ps`.
while IFS='=' read -r name value; do
  [[ -z "$name" || "$name" == \#* ]] && continue
  [[ -n "${!name:-}" ]] || export "$name=$value"
done < "$(dirname "${BASH_SOURCE[0]}")/local.env"
export REDISCLI_AUTH="${REDISCLI_AUTH:-$SECKILL_REDIS_PASSWORD}"
