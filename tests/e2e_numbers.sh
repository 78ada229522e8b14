# A clinic's numbers (sourced by tests/run.sh): every phone number in a
# clinic's footer (and own safety text) must be its phone, after-hours or
# other-numbers; times, dates and short numbers after a phone number are not
# phone numbers; +44/0 and +1/1 prefixes match, other prefixes do not.
H=${HANDOUT_SAN:-bin/handout-san}
NB=$(mktemp -d)
cp -r content templates "$NB/" && ln -s "$PWD/fonts" "$NB/fonts"
# numcase OK|ERR PHONE FOOTER [OTHER]: check infusion-prep for a clinic with
# that phone (after-hours 555-0188) and footer
numcase() {
    local want=$1 phone=$2 footer=$3 other=${4:-}
    {
        printf 'id: nb\nname: Number Clinic\ncontact:\n  phone: "%s"\n  after-hours: 555-0188\n' "$phone"
        [ -n "$other" ] && printf '  other-numbers: ["%s"]\n' "$other"
        printf 'footer: "%s"\n' "$footer"
    } >"$NB/content/clinics/nb.yaml"
    (cd "$NB" && "$OLDPWD/$H" check --clinic nb content/handouts/infusion-prep.yaml >"$NB/out.txt" 2>&1)
    local code=$?
    if [ "$want" = OK ]; then
        check "clinic numbers: accepted: footer '$footer' (phone $phone${other:+, other $other})" test "$code" = 0
    else
        check "clinic numbers: refused: footer '$footer' (phone $phone${other:+, other $other})" sh -c "[ $code = 1 ] && grep -q \"the number .* is not one of Number Clinic's numbers\" '$NB/out.txt'"
    fi
}
numcase OK 555-0150 "Out of hours, call 555-0188 7 days a week."
numcase OK 555-0150 "Call {phone} or 555-0188 24 hours a day."
numcase OK 555-0150 "After hours: 555-0188 (24 hours)."
numcase OK 555-0150 "Call 555-0150 9 to 5."
numcase OK 555-0150 "Open Monday to Friday, 08.00-17.00. Call {phone}."
numcase OK 555-0150 "Clinic hours 8.30 - 16.30, call {phone}"
numcase OK 555-0150 "Updated 2026-10-15. Call {phone}."
numcase OK 555-0150 "Updated 15/10/2026. Call {phone}."
numcase OK 555-0150 "Our 2020-2024 results. Call {phone}."
numcase OK "+44 20 7946 0958" "Ring 020 7946 0958."
numcase OK "+44 800 123 4567" "Freephone 0800 123 4567."
numcase OK "555-0150 ext. 23" "Call 555-0150 ext. 23."
numcase OK 800-222-1222 "Call 1-800-222-1222."
numcase OK 555-0150 "Fax 555-0177, phone {phone}." 555-0177
numcase OK 555-0150 "Poisons line: 0344 892 0111." "0344 892 0111"
numcase ERR 555-0150 "Call 212-555-0150."
numcase ERR 555-0150 "Call us at 555-0151, weekdays."
numcase ERR 555-0150 "Poisons line: 0344 892 0111."
numcase ERR "+44 20 7946 0958" "Ring 020 7946 0959."
rm -rf "$NB"
