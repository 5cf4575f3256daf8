// SPDX-License-Identifier: GPL-2.0
/* SMC's connect worker and poll, written for kmark after the shapes of
 * net/smc/af_smc.c in Linux 6.12, where KCSAN reported
 * "data-race in smc_connect_work / smc_poll". */
#include <net/sock.h>

struct smc_sock {
	struct sock sk;
	struct socket *clcsock;
	struct work_struct connect_work;
	int use_fallback;
};

#define smc_sk(ptr) container_of(ptr, struct smc_sock, sk)

static void smc_connect_work(struct work_struct *work)
{
	struct smc_sock *smc = container_of(work, struct smc_sock, connect_work);

	lock_sock(&smc->sk);
	if (smc->clcsock->sk->sk_err) {
		smc->sk.sk_err = smc->clcsock->sk->sk_err;
	}
	release_sock(&smc->sk);
}

static __poll_t smc_poll(struct socket *sock)
{
	struct sock *sk = sock->sk;
	struct smc_sock *smc = smc_sk(sk);
	__poll_t mask = 0;

	if (smc->use_fallback) {
		/* The state of the internal TCP socket, copied over. */
		sk->sk_err = smc->clcsock->sk->sk_err;
		/* One fix-it for both: the store and the load in its value. */
	} else if (sk->sk_err) {
		mask |= 8;
	}
	return mask;
}

static int smc_connect(struct socket *sock, struct sockaddr *addr, int alen)
{
	struct smc_sock *smc = smc_sk(sock->sk);

	INIT_WORK(&smc->connect_work, smc_connect_work);
	return 0;
}

const struct proto_ops smc_sock_ops = {
	.poll = smc_poll,
	.connect = smc_connect,
};
