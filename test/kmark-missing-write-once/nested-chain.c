// RUN: %check_kmark %s 'kmark-*' %t --config MinConfidence=low -- %kernel_flags
// In smc->clcsock->sk->sk_err only the last member is the access that
// races; the pointers loaded on the way (clcsock, sk) are other fields.
#include <net/sock.h>

struct smc_like {
	struct sock sk;
	struct socket *clcsock;
};

int err_reader(struct sock *sk)
{
	return READ_ONCE(sk->sk_err);
}

void err_writer(struct sock *sk, int e)
{
	WRITE_ONCE(sk->sk_err, e);
}

void copy_err(struct smc_like *smc)
{
	smc->sk.sk_err = smc->clcsock->sk->sk_err;
	// CHECK-MESSAGES: :[[@LINE-1]]:2: warning: plain store to 'sock::sk_err' races with lockless reader err_reader() (confidence: low, {{[0-9]+}}) [kmark-missing-write-once]
	// CHECK-MESSAGES: :[[@LINE-2]]:19: warning: plain load of 'sock::sk_err' races with err_writer(), which writes it with WRITE_ONCE(); no lock is visibly held in copy_err() (confidence: low, {{[0-9]+}}) [kmark-missing-read-once]
	// CHECK-FIXES: WRITE_ONCE(smc->sk.sk_err, READ_ONCE(smc->clcsock->sk->sk_err));
}
