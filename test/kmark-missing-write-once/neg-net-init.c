// RUN: %check_kmark %s 'kmark-*' %t --config MinConfidence=0 -- %kernel_flags
// Per-namespace init (__net_init, which expands to nothing, and the
// pernet_operations.init slot) runs before the namespace is listed
// (tcp_sk_init's plain sysctl writes).
#include <linux/compiler.h>

struct netns_ipv4 { int sysctl_tcp_ecn; int sysctl_tcp_sack; };
struct net { struct netns_ipv4 ipv4; };
struct pernet_operations { int (*init)(struct net *net); };

int ecn_reader(struct net *net)
{
	return READ_ONCE(net->ipv4.sysctl_tcp_ecn) + READ_ONCE(net->ipv4.sysctl_tcp_sack);
}

static int __net_init by_spelling(struct net *net)
{
	net->ipv4.sysctl_tcp_ecn = 2;
	return 0;
}

static int by_slot(struct net *net)
{
	net->ipv4.sysctl_tcp_sack = 1;
	return by_spelling(net);
}

struct pernet_operations my_net_ops = {
	.init = by_slot,
};
