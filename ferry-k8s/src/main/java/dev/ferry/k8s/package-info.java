/** Cluster mode: the manifests of a Ferry release, and finding one through the kubeconfig. */
package dev.ferry.k8s;
