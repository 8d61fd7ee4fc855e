#!/usr/bin/env bash
# Renders shipped scenarios' HTML reports in headless Chromium and checks them with
# check_report.py: every chart present and non-empty (or saying why it does not apply),
# no console message. Usage: tests/browser/render_reports.sh PMMSIM CHROMIUM [SCREENSHOT]
# With SCREENSHOT, also writes a PNG of the capital scenario's report there.
set -euo pipefail
pmmsim=$1
chromium=$2
screenshot=${3:-}
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
flags=(--headless --no-sandbox --disable-gpu --disable-quic --no-first-run
    --disable-background-networking --disable-component-update --disable-sync)
capital=chart-capital-fan,chart-drawdown-fan,chart-roi-histogram,chart-drawdown-histogram,chart-pnl-attribution,chart-pool-deviation,chart-pool-churn
status=0
# scenario, paths, epochs, the charts that must be drawn
for spec in \
    "leverage_sweep_1x_to_4x 128 60 $capital,chart-liquidation-leverage,chart-frontier" \
    "chain138_deployed_capital_efficiency 128 60 $capital" \
    "hub_only_11 128 30 chart-pool-deviation,chart-pool-churn"; do
    read -r scenario paths epochs drawn <<<"$spec"
    html="$dir/$scenario.html"
    "$pmmsim" run "$scenario" --paths "$paths" --epochs "$epochs" --quiet -o "$html"
    rm -rf "$dir/profile"
    timeout 120 "$chromium" "${flags[@]}" --user-data-dir="$dir/profile" \
        --enable-logging=stderr --v=0 --dump-dom "file://$html" \
        >"$dir/$scenario.dom" 2>"$dir/$scenario.log" || {
        echo "error: chromium could not render $scenario.html" >&2
        tail -n 5 "$dir/$scenario.log" >&2
        status=1
        continue
    }
    python3 "$here/check_report.py" "$dir/$scenario.dom" "$dir/$scenario.log" "drawn:$drawn" || status=1
done
if [[ -n "$screenshot" ]]; then
    rm -rf "$dir/profile"
    timeout 120 "$chromium" "${flags[@]}" --user-data-dir="$dir/profile" --hide-scrollbars \
        --window-size=1400,2700 --screenshot="$screenshot" \
        "file://$dir/leverage_sweep_1x_to_4x.html" 2>/dev/null
fi
exit $status
