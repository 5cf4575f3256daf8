// RUN: %check_kmark %s 'kmark-*' %t --config MinConfidence=0 -- %kernel_flags
// __init functions run before anything they set up is published.
#include <net/tcp.h>

struct tcp_sock global_tp;

u32 ts_reader(void)
{
	return READ_ONCE(global_tp.tsoffset);
}

int __init setup(void)
{
	global_tp.tsoffset = 7;
	return 0;
}
