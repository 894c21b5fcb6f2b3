#!/usr/bin/perl
# SPDX-License-Identifier: ISC
# webdriver.pl -- drive headless Chromium through chromedriver's W3C
# WebDriver HTTP API with core modules only (HTTP::Tiny, JSON::PP), for
# http_browser.sh. Each run is one browser session, deleted at the end.
#
#   webdriver.pl DRIVER-URL PROFILE-DIR SHOTS-DIR request TXT-URL
#       open TXT-URL (a lookup page), print "reason: TEXT" (the listing
#       and its detail), check the page fits a phone's width, fill in and
#       send the request form, print "status: TEXT" and "link: URL"
#   webdriver.pl DRIVER-URL PROFILE-DIR SHOTS-DIR status URL
#       open URL (a status page), print "status: TEXT"
#   webdriver.pl DRIVER-URL PROFILE-DIR SHOTS-DIR stats URL
#       open URL (the /stats page), print "title: TEXT", "charts: N"
#       (SVG charts drawn, with a width), "series: N" (lines in them)
#       and "row: TEXT" for each line of the listings' table, and
#       whether it fits a phone's width
#
# Screenshots go to SHOTS-DIR as NN-name.png. Exit 1 with a message on
# stderr on any failure.
use strict;
use warnings;
use HTTP::Tiny;
use JSON::PP;
use MIME::Base64 qw(decode_base64);

my ($driver, $profile, $shots, $mode, $url) = @ARGV;
die "usage: webdriver.pl DRIVER PROFILE SHOTS request|status|stats URL\n"
    unless defined $url;
my $http = HTTP::Tiny->new(timeout => 60);
my $json = JSON::PP->new->utf8->canonical;
my $ELEM = 'element-6066-11e4-a52e-4f735466cecf';
my $sid;
my $shot_n = 0;			# request: 01-03, status: 04

sub call {
	my ($method, $path, $body) = @_;
	my %opt = (headers => { 'Content-Type' => 'application/json' });
	$opt{content} = $json->encode($body) if defined $body;
	my $r = $http->request($method, "$driver$path", \%opt);
	my $v = eval { $json->decode($r->{content}) };
	if (!$r->{success} || !defined $v) {
		my $msg = $v && ref $v->{value} eq 'HASH' ?
		    ($v->{value}{message} // '') : ($r->{content} // '');
		die "webdriver $method $path: $r->{status} $msg\n";
	}
	return $v->{value};
}

sub find {
	my ($css) = @_;
	my $e = call('POST', "/session/$sid/element",
	    { using => 'css selector', value => $css });
	return $e->{$ELEM};
}

sub text {
	my ($css) = @_;
	return call('GET', "/session/$sid/element/" . find($css) . '/text');
}

sub shot {
	my ($name) = @_;
	my $png = decode_base64(call('GET', "/session/$sid/screenshot"));
	my $file = sprintf('%s/%02d-%s.png', $shots, ++$shot_n, $name);
	open(my $fh, '>:raw', $file) or die "$file: $!\n";
	print $fh $png;
	close($fh) or die "$file: $!\n";
}

sub js {
	my ($script) = @_;
	return call('POST', "/session/$sid/execute/sync",
	    { script => $script, args => [] });
}

# Whether the page fits the window's width (a phone's) without scrolling.
sub fits {
	return js('return document.documentElement.scrollWidth <= ' .
	    'window.innerWidth;') ? 'fits' : 'scrolls';
}

my $caps = {
	capabilities => { alwaysMatch => {
		browserName => 'chrome',
		'goog:chromeOptions' => {
			binary => ($ENV{CHROMIUM} // '/usr/bin/chromium'),
			args => [ '--headless=new', '--no-sandbox',
			    '--disable-gpu', '--disable-dev-shm-usage',
			    '--no-first-run', '--window-size=412,915',
			    "--user-data-dir=$profile" ],
		},
	} },
};
$sid = call('POST', '/session', $caps)->{sessionId};
my $ok = eval {
	# A lookup waits for its element (the page after a click may still
	# be loading on a busy machine), up to 20 s; so does a page load.
	call('POST', "/session/$sid/timeouts", { implicit => 20000,
	    pageLoad => 30000 });
	call('POST', "/session/$sid/url", { url => $url });
	if ($mode eq 'request') {
		shot('lookup');
		my $status = text('section.zone p.status');
		my $detail = text('section.zone p.detail');
		my $advice = text('section.zone p.advice');
		print "reason: $status $detail\n";
		print "advice: $advice\n";
		print "phone-width: ", fits(), "\n";
		call('POST', "/session/$sid/element/" . find('#email') .
		    '/value', { text => 'postmaster@example.net' });
		call('POST', "/session/$sid/element/" . find('#description') .
		    '/value', { text => "Our outbound relay.\nIt sends " .
		    "invoices <b>to customers</b>." });
		shot('form-filled');
		call('POST', "/session/$sid/element/" . find('#submit') .
		    '/click', {});
		my $st = text('#status');
		print "status: $st\n";
		my $link = call('GET', "/session/$sid/element/" .
		    find('#statuslink') . '/property/href');
		print "link: $link\n";
		print "description: ", text('dd.desc'), "\n";
		print "phone-width-pending: ", fits(), "\n";
		shot('pending');
	} elsif ($mode eq 'stats') {
		print "title: ", text('h1'), "\n";
		print "charts: ", js('return Array.from(document.' .
		    'querySelectorAll("svg.chart")).filter(function (s) { ' .
		    'return s.getBoundingClientRect().width > 100; }).length;'),
		    "\n";
		print "series: ", js('return document.querySelectorAll(' .
		    '"svg.chart g.series polyline").length;'), "\n";
		my $rows = js('return Array.from(document.querySelectorAll(' .
		    '"#listing table.totals tbody tr")).map(function (r) { ' .
		    'return r.innerText.replace(/\\s+/g, " ").trim(); });');
		print "row: $_\n" for @$rows;
		print "phone-width: ", fits(), "\n";
		shot('stats');
	} else {
		$shot_n = 3;
		my $st = text('#status');
		print "status: $st\n";
		shot('status');
	}
	1;
};
my $err = $@;
eval { call('DELETE', "/session/$sid") };
if (!$ok) {
	print STDERR $err;
	exit 1;
}
exit 0;
