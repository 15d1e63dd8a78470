"""What an operator needs to host the dashboard: container, load balancer, Kubernetes, a local cluster."""
