# SPDX-License-Identifier: ISC
# netns.sh -- the start of the tests that run in a network and mount
# namespace of their own (mta.sh, readme.sh, udp_df.sh): as root they
# re-execute themselves under unshare(1), with RDNSBL_NETNS set, and
# otherwise skip saying why. Sourced before lib.sh (POSIX sh):
#
#	if [ -z "$RDNSBL_NETNS" ]; then
#		. "$top_srcdir/tests/integration/netns.sh"
#		netns_enter "$0" "$(netns_why ip dig perl)"
#	fi

# netns_why TOOL...: why this test cannot have its namespace here (root,
# the tools, unshare itself); nothing when it can.
netns_why()
{
	if [ "$(id -u)" != 0 ]; then
		echo "needs root for its network namespace"
		return
	fi
	for nw_t in unshare "$@"; do
		if ! command -v "$nw_t" >/dev/null 2>&1; then
			echo "$nw_t not installed"
			return
		fi
	done
	unshare -n -m true 2>/dev/null ||
	    echo "cannot create network namespaces here"
}

# netns_enter SCRIPT WHY: skip the whole script when WHY is not empty
# (a TAP skip plan; CI counts a skip as a failure), else run SCRIPT again
# in new network and mount namespaces (mounts made there stay there).
netns_enter()
{
	if [ -n "$2" ]; then
		echo "1..0 # SKIP $2"
		exit 0
	fi
	RDNSBL_NETNS=1 exec unshare -n -m --propagation private sh "$1"
}
