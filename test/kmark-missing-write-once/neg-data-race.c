// RUN: %check_kmark %s 'kmark-*' %t --config MinConfidence=0 -- %kernel_flags
// A reader that marks the race as intentional with data_race() (a
// diagnostic read) does not ask writers for WRITE_ONCE(), and a data_race()
// read is not plain.
#include <net/sock.h>

int diag_reader(struct sock *sk)
{
	return data_race(sk->sk_err_soft);
}

void writer(struct sock *sk, int e)
{
	sk->sk_err_soft = e;
}
